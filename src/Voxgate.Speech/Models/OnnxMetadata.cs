using System.Text;

namespace Voxgate.Speech.Models;

/// <summary>
/// Reads an ONNX file's <c>metadata_props</c> (model type, sample rate, speaker names, ...) without loading the model:
/// a walk over the top-level protobuf fields of <c>ModelProto</c>, seeking past the graph and its weights. Also the
/// cheap first check that a file is ONNX at all, made before anything native reads it: whatever the bytes, it returns
/// the metadata or throws <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class OnnxMetadata
{
    private const int GraphField = 7;
    private const int MetadataField = 14;

    /// <exception cref="InvalidDataException">The file is not a well-formed ONNX model.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        var reader = new ProtobufReader(file, Path.GetFileName(path));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        bool sawGraph = false;
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.Tag();
            switch (wireType)
            {
                case 0:
                    reader.Varint();
                    break;
                case 1:
                    reader.Skip(8);
                    break;
                case 5:
                    reader.Skip(4);
                    break;
                case 2:
                    long length = reader.Length();
                    if (field == MetadataField)
                    {
                        (string name, string value) = ReadEntry(reader.Bytes(length), reader);
                        metadata[name] = value;
                    }
                    else
                    {
                        sawGraph |= field == GraphField;
                        reader.Skip(length);
                    }
                    break;
                default:
                    throw reader.Malformed($"it holds a field of wire type {wireType}, which ONNX does not use");
            }
        }
        return sawGraph ? metadata : throw new InvalidDataException($"'{Path.GetFileName(path)}' is not an ONNX model: it has no graph.");
    }

    /// <summary>A <c>StringStringEntryProto</c>: key (1) and value (2).</summary>
    private static (string Key, string Value) ReadEntry(byte[] entry, ProtobufReader file)
    {
        using var stream = new MemoryStream(entry);
        var reader = new ProtobufReader(stream, file.FileName);
        string key = "", value = "";
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.Tag();
            if (wireType != 2)
            {
                throw reader.Malformed("a metadata entry is not a pair of strings");
            }
            string text = Encoding.UTF8.GetString(reader.Bytes(reader.Length()));
            if (field == 1)
            {
                key = text;
            }
            else if (field == 2)
            {
                value = text;
            }
        }
        return (key, value);
    }

    /// <summary>
    /// Protobuf's wire format read from untrusted bytes: every number is checked against what is left of the stream
    /// before it is used as a length or cast, so a malformed file is refused with a reason, never an overflow.
    /// </summary>
    private sealed class ProtobufReader(Stream stream, string fileName)
    {
        private const ulong MaxFieldNumber = (1 << 29) - 1;

        public string FileName => fileName;

        public bool AtEnd => stream.Position >= stream.Length;

        private long Remaining => stream.Length - stream.Position;

        public (int Field, int WireType) Tag()
        {
            ulong tag = Varint();
            ulong field = tag >> 3;
            return field is 0 or > MaxFieldNumber
                ? throw Malformed($"it holds a field number ({field}) that protobuf does not allow")
                : ((int)field, (int)(tag & 7));
        }

        /// <summary>A base-128 varint of at most ten bytes, the tenth holding only the 64th bit.</summary>
        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                int next = stream.ReadByte();
                if (next < 0)
                {
                    throw Malformed("it is cut short");
                }
                if (shift == 63 && next > 1)
                {
                    throw Malformed("it holds a number longer than 64 bits");
                }
                value |= (ulong)(next & 0x7F) << shift;
                if ((next & 0x80) == 0)
                {
                    return value;
                }
            }
        }

        /// <summary>A length-delimited field's length, which must fit in what is left.</summary>
        public long Length()
        {
            ulong length = Varint();
            return length <= (ulong)Remaining
                ? (long)length
                : throw Malformed($"a field of {length:N0} bytes runs past the end of the file (it is cut short, or not ONNX)");
        }

        public byte[] Bytes(long count)
        {
            if (count > Array.MaxLength)
            {
                throw Malformed($"a metadata entry of {count:N0} bytes is too large");
            }
            Require(count);
            byte[] bytes = new byte[count];
            stream.ReadExactly(bytes);
            return bytes;
        }

        public void Skip(long count)
        {
            Require(count);
            stream.Seek(count, SeekOrigin.Current);
        }

        public InvalidDataException Malformed(string reason) => new($"'{fileName}' is not a well-formed ONNX model: {reason}.");

        private void Require(long count)
        {
            if (count > Remaining)
            {
                throw Malformed("it is cut short");
            }
        }
    }
}
