using System.Buffers;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Encoders;

/// <summary>16-bit FLAC through libFLAC; STREAMINFO totals and MD5 arrive as a header patch at the end.</summary>
public sealed class FlacEncoder(EncoderSettings settings, int compressionLevel) : IAudioEncoder
{
    private readonly Flac.Stream _stream = new(settings.SampleRate, settings.Channels, compressionLevel, settings.Tags);

    public EncoderSettings Settings { get; } = settings;

    public int EffectiveBitrate => 0;

    public void Encode(ReadOnlySpan<float> interleaved, EncodedOutput output)
    {
        short[] samples = ArrayPool<short>.Shared.Rent(interleaved.Length);
        try
        {
            PcmSamples.ToInt16(interleaved, samples);
            _stream.Process(samples.AsSpan(0, interleaved.Length), Settings.Channels, output);
        }
        finally
        {
            ArrayPool<short>.Shared.Return(samples);
        }
    }

    public void Finish(EncodedOutput output) => _stream.Finish(output);

    public void Dispose() => _stream.Dispose();
}
