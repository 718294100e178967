using System.Buffers;

namespace Voxgate.Speech.Encoders;

/// <summary>
/// Where an encoder writes: bytes in stream order, taken by the caller as soon as they exist, plus header patches
/// (offset, bytes) that an encoder produces once the total length is known. A streamed HTTP body cannot go back
/// and ignores the patches; a seekable file applies them.
/// </summary>
public sealed class EncodedOutput : IBufferWriter<byte>
{
    private readonly ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private readonly List<HeaderPatch> _patches = [];

    /// <summary>Bytes written so far in stream order (patches excluded).</summary>
    public long Position { get; private set; }

    public int PendingCount => _pending.WrittenCount;

    public IReadOnlyList<HeaderPatch> Patches => _patches;

    public void Advance(int count)
    {
        _pending.Advance(count);
        Position += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

    /// <summary>Records bytes that replace already written bytes at <paramref name="offset"/>.</summary>
    public void Patch(long offset, ReadOnlySpan<byte> bytes)
    {
        if (offset < 0 || offset + bytes.Length > Position)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"A patch at {offset}+{bytes.Length} lies outside the {Position} bytes written.");
        }
        _patches.Add(new HeaderPatch(offset, bytes.ToArray()));
    }

    /// <summary>Returns the bytes written since the last call, and forgets them.</summary>
    public byte[] TakePending()
    {
        if (_pending.WrittenCount == 0)
        {
            return [];
        }
        byte[] bytes = _pending.WrittenSpan.ToArray();
        _pending.ResetWrittenCount();
        return bytes;
    }
}

/// <summary>Bytes that replace earlier output once the stream is complete (e.g. a WAV or FLAC header).</summary>
public sealed record HeaderPatch(long Offset, byte[] Bytes);
