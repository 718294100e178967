using System.Buffers.Binary;

namespace Voxgate.Speech.Encoders;

/// <summary>
/// RIFF/WAVE with 16-bit PCM. The header goes out first, before the length is known, with the RIFF and data sizes
/// set to 0xFFFFFFFF (the streaming convention FFmpeg also uses); the true sizes are recorded as header patches.
/// </summary>
public sealed class WavEncoder(EncoderSettings settings) : IAudioEncoder
{
    private const int HeaderSize = 44;
    private const uint UnknownSize = uint.MaxValue;
    private bool _headerWritten;

    public EncoderSettings Settings { get; } = settings;

    public int EffectiveBitrate => Settings.SampleRate * Settings.Channels * 16;

    public void Encode(ReadOnlySpan<float> interleaved, EncodedOutput output)
    {
        EnsureHeader(output);
        PcmEncoder.WriteSamples(interleaved, output);
    }

    public void Finish(EncodedOutput output)
    {
        EnsureHeader(output);
        long dataBytes = output.Position - HeaderSize;
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)Math.Min(dataBytes + HeaderSize - 8, uint.MaxValue));
        output.Patch(4, size);
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)Math.Min(dataBytes, uint.MaxValue));
        output.Patch(40, size);
    }

    public void Dispose()
    {
    }

    private void EnsureHeader(EncodedOutput output)
    {
        if (_headerWritten)
        {
            return;
        }
        _headerWritten = true;
        int channels = Settings.Channels;
        int rate = Settings.SampleRate;
        Span<byte> h = output.GetSpan(HeaderSize)[..HeaderSize];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], UnknownSize);
        "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], (uint)(rate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)(channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], 16);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], UnknownSize);
        output.Advance(HeaderSize);
    }
}
