using System.Buffers.Binary;
using System.Text;

namespace Voxgate.Speech.Encoders;

/// <summary>
/// An ID3v2.4 tag of TXXX frames, written before MP3 and ADTS AAC streams (decoders skip it) to carry metadata those
/// raw streams cannot; and the reader that finds such a frame again.
/// </summary>
public static class Id3Tag
{
    public static byte[] Build(IReadOnlyDictionary<string, string> tags)
    {
        var frames = new List<byte>();
        foreach ((string name, string value) in tags)
        {
            byte[] body = [0x03, .. Encoding.UTF8.GetBytes(name), 0x00, .. Encoding.UTF8.GetBytes(value)]; // 3 = UTF-8
            frames.AddRange("TXXX"u8.ToArray());
            frames.AddRange(SyncSafe(body.Length));
            frames.AddRange([0x00, 0x00]);
            frames.AddRange(body);
        }
        return [.. "ID3"u8.ToArray(), 0x04, 0x00, 0x00, .. SyncSafe(frames.Count), .. frames];
    }

    /// <summary>The value of the TXXX frame named <paramref name="name"/> in a tag at the start of <paramref name="data"/>.</summary>
    public static string? Find(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length < 10 || !data[..3].SequenceEqual("ID3"u8))
        {
            return null;
        }
        int size = ReadSyncSafe(data[6..10]);
        ReadOnlySpan<byte> frames = data.Slice(10, Math.Min(size, data.Length - 10));
        while (frames.Length >= 10)
        {
            int frameSize = data[3] == 4 ? ReadSyncSafe(frames[4..8]) : BinaryPrimitives.ReadInt32BigEndian(frames[4..8]);
            if (frameSize <= 0 || frameSize > frames.Length - 10)
            {
                break;
            }
            ReadOnlySpan<byte> body = frames.Slice(10, frameSize);
            if (frames[..4].SequenceEqual("TXXX"u8) && body.Length > 1)
            {
                string[] parts = Encoding.UTF8.GetString(body[1..]).Split('\0', 2);
                if (parts.Length == 2 && parts[0] == name)
                {
                    return parts[1];
                }
            }
            frames = frames[(10 + frameSize)..];
        }
        return null;
    }

    private static byte[] SyncSafe(int value) =>
        [(byte)((value >> 21) & 0x7F), (byte)((value >> 14) & 0x7F), (byte)((value >> 7) & 0x7F), (byte)(value & 0x7F)];

    private static int ReadSyncSafe(ReadOnlySpan<byte> b) => (b[0] << 21) | (b[1] << 14) | (b[2] << 7) | b[3];
}
