using System.Buffers;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Encoders;

/// <summary>Constant-bitrate MP3 through LAME.</summary>
public sealed class Mp3Encoder : IAudioEncoder
{
    private readonly Lame.LameHandle _lame;
    private bool _tagWritten;

    public Mp3Encoder(EncoderSettings settings, int quality)
    {
        Settings = settings;
        (_lame, int kbps) = Lame.Create(settings.SampleRate, settings.Channels, settings.Bitrate / 1000, quality);
        EffectiveBitrate = kbps * 1000;
    }

    public EncoderSettings Settings { get; }

    public int EffectiveBitrate { get; }

    public void Encode(ReadOnlySpan<float> interleaved, EncodedOutput output)
    {
        WriteTagOnce(output);
        // LAME's bound is per call, so large inputs go in slices to keep the output buffer small.
        const int FramesPerCall = 8192;
        int channels = Settings.Channels;
        for (int offset = 0; offset < interleaved.Length; offset += FramesPerCall * channels)
        {
            ReadOnlySpan<float> slice = interleaved[offset..Math.Min(interleaved.Length, offset + FramesPerCall * channels)];
            Span<byte> buffer = output.GetSpan(Lame.MaxOutputBytes(slice.Length / channels));
            output.Advance(Lame.Encode(_lame, slice, channels, buffer));
        }
    }

    public void Finish(EncodedOutput output)
    {
        WriteTagOnce(output);
        Span<byte> buffer = output.GetSpan(7200);
        output.Advance(Lame.Flush(_lame, buffer));
    }

    public void Dispose() => _lame.Dispose();

    private void WriteTagOnce(EncodedOutput output)
    {
        if (!_tagWritten && Settings.Tags is { Count: > 0 } tags)
        {
            output.Write(Id3Tag.Build(tags));
        }
        _tagWritten = true;
    }
}
