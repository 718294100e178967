using System.Text;

namespace Voxgate.Speech.Models;

/// <summary>
/// Reads an ONNX file's <c>metadata_props</c> (model type, sample rate, speaker names, ...) without loading the model:
/// a walk over the top-level protobuf fields of <c>ModelProto</c>, seeking past the graph and its weights. Also the
/// cheap first check that a file is ONNX at all, made before anything native reads it.
/// </summary>
public static class OnnxMetadata
{
    private const int GraphField = 7;
    private const int MetadataField = 14;

    /// <exception cref="InvalidDataException">The file is not a well-formed ONNX model.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        bool sawGraph = false;
        while (file.Position < file.Length)
        {
            ulong key = ReadVarint(file);
            int field = (int)(key >> 3), wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    ReadVarint(file);
                    break;
                case 1:
                    Skip(file, 8);
                    break;
                case 5:
                    Skip(file, 4);
                    break;
                case 2:
                    long length = checked((long)ReadVarint(file));
                    if (length < 0 || file.Position + length > file.Length)
                    {
                        throw new InvalidDataException($"'{Path.GetFileName(path)}' is cut short or not an ONNX model.");
                    }
                    if (field == MetadataField)
                    {
                        byte[] entry = new byte[length];
                        file.ReadExactly(entry);
                        (string name, string value) = ReadEntry(entry);
                        metadata[name] = value;
                    }
                    else
                    {
                        sawGraph |= field == GraphField;
                        Skip(file, length);
                    }
                    break;
                default:
                    throw new InvalidDataException($"'{Path.GetFileName(path)}' is not an ONNX model (wire type {wireType}).");
            }
        }
        return sawGraph ? metadata : throw new InvalidDataException($"'{Path.GetFileName(path)}' is not an ONNX model: it has no graph.");
    }

    /// <summary>A <c>StringStringEntryProto</c>: key (1) and value (2).</summary>
    private static (string Key, string Value) ReadEntry(byte[] entry)
    {
        using var stream = new MemoryStream(entry);
        string key = "", value = "";
        while (stream.Position < stream.Length)
        {
            ulong tag = ReadVarint(stream);
            if ((tag & 7) != 2)
            {
                throw new InvalidDataException("A metadata entry of the ONNX model is malformed.");
            }
            int length = checked((int)ReadVarint(stream));
            byte[] text = new byte[length];
            stream.ReadExactly(text);
            if ((tag >> 3) == 1)
            {
                key = Encoding.UTF8.GetString(text);
            }
            else if ((tag >> 3) == 2)
            {
                value = Encoding.UTF8.GetString(text);
            }
        }
        return (key, value);
    }

    private static ulong ReadVarint(Stream stream)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            int next = stream.ReadByte();
            if (next < 0)
            {
                throw new InvalidDataException("The ONNX model is cut short.");
            }
            value |= (ulong)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return value;
            }
        }
        throw new InvalidDataException("The ONNX model holds a malformed number.");
    }

    private static void Skip(Stream stream, long count)
    {
        if (stream.Position + count > stream.Length)
        {
            throw new InvalidDataException("The ONNX model is cut short.");
        }
        stream.Seek(count, SeekOrigin.Current);
    }
}
