using System.Buffers.Binary;
using System.Text;
using Voxgate.Speech.Encoders;

namespace Voxgate.Speech.Watermarking;

/// <summary>The containers a file can be, told apart by their first bytes.</summary>
public enum AudioContainer
{
    Unknown,
    Wav,
    Flac,
    Ogg,
    Mp3,
    Aac,
}

/// <summary>
/// Reads the machine-generated tag back from each container Voxgate writes it into: an ID3v2 TXXX frame before MP3
/// and ADTS AAC, a RIFF LIST/INFO ICMT comment in WAV, a Vorbis comment in FLAC's VORBIS_COMMENT block and in Ogg
/// Opus's OpusTags packet. Raw PCM has nowhere to carry one.
/// </summary>
public static class ContainerTags
{
    /// <summary>The container of a file from its first bytes (at least 12; an ID3 tag means MP3 or AAC after it).</summary>
    public static AudioContainer Identify(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
        {
            return AudioContainer.Wav;
        }
        if (head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8))
        {
            return AudioContainer.Flac;
        }
        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8))
        {
            return AudioContainer.Ogg;
        }
        ReadOnlySpan<byte> frame = head[Math.Min(head.Length, Id3Length(head))..];
        if (frame.Length >= 2 && frame[0] == 0xFF && (frame[1] & 0xE0) == 0xE0)
        {
            // Both are frame syncs; ADTS has the layer bits 00, MPEG audio layer III has 01.
            return (frame[1] & 0x06) == 0 ? AudioContainer.Aac : AudioContainer.Mp3;
        }
        return AudioContainer.Unknown;
    }

    /// <summary>The length of an ID3v2 tag at the start of <paramref name="data"/>, or 0.</summary>
    public static int Id3Length(ReadOnlySpan<byte> data) =>
        data.Length >= 10 && data[..3].SequenceEqual("ID3"u8)
            ? 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]) + ((data[5] & 0x10) != 0 ? 10 : 0)
            : 0;

    /// <summary>The value of the tag named <paramref name="name"/> in the file's container, or null.</summary>
    public static string? Find(Stream file, string name)
    {
        byte[] head = new byte[64 * 1024];
        int read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> start = head.AsSpan(0, read);
        switch (Identify(start))
        {
            case AudioContainer.Mp3:
            case AudioContainer.Aac:
                return Id3Tag.Find(start, name);
            case AudioContainer.Wav:
                return FindInWav(start, name);
            case AudioContainer.Flac:
                return FindInFlac(start, name);
            case AudioContainer.Ogg:
                file.Position = 0;
                // OpusTags is the second packet of an Ogg Opus stream.
                return OggPackets.Read(file).Skip(1).FirstOrDefault() is { } tags && tags.AsSpan().StartsWith("OpusTags"u8)
                    ? FindVorbisComment(tags.AsSpan(8), name)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>RIFF chunks after "WAVE": an INFO list's ICMT comments read "NAME: value".</summary>
    private static string? FindInWav(ReadOnlySpan<byte> data, string name)
    {
        for (int position = 12; position + 8 <= data.Length;)
        {
            ReadOnlySpan<byte> id = data.Slice(position, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position + 4, 4));
            if (id.SequenceEqual("data"u8))
            {
                return null; // the writer puts its tags before the audio
            }
            ReadOnlySpan<byte> body = data.Slice(position + 8, (int)Math.Min(size, (uint)(data.Length - position - 8)));
            if (id.SequenceEqual("LIST"u8) && body.Length >= 4 && body[..4].SequenceEqual("INFO"u8))
            {
                for (int sub = 4; sub + 8 <= body.Length;)
                {
                    int length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(sub + 4, 4)), (uint)(body.Length - sub - 8));
                    if (body.Slice(sub, 4).SequenceEqual("ICMT"u8))
                    {
                        string comment = Encoding.UTF8.GetString(body.Slice(sub + 8, length)).TrimEnd('\0');
                        if (comment.StartsWith(name + ": ", StringComparison.Ordinal))
                        {
                            return comment[(name.Length + 2)..];
                        }
                    }
                    sub += 8 + length + (length & 1);
                }
            }
            position += 8 + (int)size + (int)(size & 1);
        }
        return null;
    }

    /// <summary>FLAC metadata blocks after "fLaC": type 4 is VORBIS_COMMENT; the high bit of the type marks the last.</summary>
    private static string? FindInFlac(ReadOnlySpan<byte> data, string name)
    {
        for (int position = 4; position + 4 <= data.Length;)
        {
            int type = data[position] & 0x7F;
            bool last = (data[position] & 0x80) != 0;
            int length = (data[position + 1] << 16) | (data[position + 2] << 8) | data[position + 3];
            if (type == 4 && position + 4 + length <= data.Length)
            {
                return FindVorbisComment(data.Slice(position + 4, length), name);
            }
            if (last)
            {
                return null;
            }
            position += 4 + length;
        }
        return null;
    }

    /// <summary>A Vorbis comment list: vendor (length, bytes), count, then "NAME=value" entries, lengths little-endian.</summary>
    private static string? FindVorbisComment(ReadOnlySpan<byte> block, string name)
    {
        if (block.Length < 8)
        {
            return null;
        }
        int position = 4 + (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(block), (uint)block.Length);
        if (position + 4 > block.Length)
        {
            return null;
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(block[position..]);
        position += 4;
        for (uint i = 0; i < count && position + 4 <= block.Length; i++)
        {
            int length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(block[position..]), (uint)(block.Length - position - 4));
            string entry = Encoding.UTF8.GetString(block.Slice(position + 4, length));
            int equals = entry.IndexOf('=');
            if (equals > 0 && entry[..equals].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return entry[(equals + 1)..];
            }
            position += 4 + length;
        }
        return null;
    }
}
