using System.Buffers.Binary;

namespace Voxgate.Speech.Watermarking;

/// <summary>
/// The packets of the first logical stream in an Ogg file, in order (RFC 3533): pages are "OggS", a 27-byte header,
/// a segment table, then the segments; a packet ends at a segment shorter than 255 bytes.
/// </summary>
public static class OggPackets
{
    public static IEnumerable<byte[]> Read(Stream stream)
    {
        byte[] header = new byte[27];
        var packet = new MemoryStream();
        uint? serial = null;
        while (ReadExactly(stream, header))
        {
            if (!header.AsSpan(0, 4).SequenceEqual("OggS"u8))
            {
                throw new InvalidDataException("Not an Ogg page: the stream is damaged or not Ogg.");
            }
            uint pageSerial = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(14, 4));
            byte[] segments = new byte[header[26]];
            if (!ReadExactly(stream, segments))
            {
                yield break;
            }
            serial ??= pageSerial;
            foreach (byte length in segments)
            {
                byte[] segment = new byte[length];
                if (!ReadExactly(stream, segment))
                {
                    yield break;
                }
                if (pageSerial != serial)
                {
                    continue; // another logical stream multiplexed in
                }
                packet.Write(segment);
                if (length < 255)
                {
                    yield return packet.ToArray();
                    packet.SetLength(0);
                }
            }
        }
    }

    private static bool ReadExactly(Stream stream, byte[] buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
}
