namespace Voxgate.Speech.Encoders;

/// <summary>Raw signed 16-bit little-endian samples, no header (OpenAI's <c>pcm</c>).</summary>
public sealed class PcmEncoder(EncoderSettings settings) : IAudioEncoder
{
    public EncoderSettings Settings { get; } = settings;

    public int EffectiveBitrate => Settings.SampleRate * Settings.Channels * 16;

    public void Encode(ReadOnlySpan<float> interleaved, EncodedOutput output) => WriteSamples(interleaved, output);

    public void Finish(EncodedOutput output)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>Writes samples as little-endian 16-bit (the machine order on every platform .NET runs here).</summary>
    internal static void WriteSamples(ReadOnlySpan<float> interleaved, EncodedOutput output)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("16-bit output assumes a little-endian machine.");
        }
        Span<byte> bytes = output.GetSpan(interleaved.Length * 2);
        PcmSamples.ToInt16(interleaved, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes)[..interleaved.Length]);
        output.Advance(interleaved.Length * 2);
    }
}
