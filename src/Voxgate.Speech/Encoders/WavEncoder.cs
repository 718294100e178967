using System.Buffers.Binary;

namespace Voxgate.Speech.Encoders;

/// <summary>
/// RIFF/WAVE with 16-bit PCM. The header goes out first, before the length is known, with the RIFF and data sizes
/// set to 0xFFFFFFFF (the streaming convention FFmpeg also uses); the true sizes are recorded as header patches.
/// Tags go in a LIST/INFO chunk as comments (ICMT, "NAME: value").
/// </summary>
public sealed class WavEncoder(EncoderSettings settings) : IAudioEncoder
{
    private const uint UnknownSize = uint.MaxValue;
    private readonly byte[] _info = InfoChunk(settings.Tags);
    private bool _headerWritten;

    private int HeaderSize => 44 + _info.Length;

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
        output.Patch(HeaderSize - 4, size);
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
        h.Clear();
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
        _info.CopyTo(h[36..]);
        "data"u8.CopyTo(h[(36 + _info.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[(40 + _info.Length)..], UnknownSize);
        output.Advance(HeaderSize);
    }

    /// <summary>A LIST chunk of type INFO with one ICMT comment per tag, or nothing.</summary>
    private static byte[] InfoChunk(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is not { Count: > 0 })
        {
            return [];
        }
        var body = new List<byte>("INFO"u8.ToArray());
        foreach ((string name, string value) in tags)
        {
            byte[] text = [.. System.Text.Encoding.UTF8.GetBytes($"{name}: {value}"), 0];
            body.AddRange("ICMT"u8.ToArray());
            body.AddRange(BitConverter.GetBytes((uint)text.Length));
            body.AddRange(text);
            if (text.Length % 2 == 1)
            {
                body.Add(0); // chunks are word-aligned
            }
        }
        return [.. "LIST"u8.ToArray(), .. BitConverter.GetBytes((uint)body.Count), .. body];
    }
}
