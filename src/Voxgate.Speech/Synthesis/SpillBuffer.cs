using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Bytes written once and read back as they arrive: the first <c>memoryBytes</c> in memory, the rest in a temporary
/// file whose name is removed as soon as it is created, so the disk space returns when the buffer is disposed or the
/// process dies, whatever ends it. One writer and one reader may work at once; the reader waits for bytes not yet
/// written. Used where audio must be taken at its producer's pace and given at its consumer's: an upstream provider
/// relayed to a slow client, a JSON answer that carries all the audio at its end.
/// </summary>
public sealed class SpillBuffer : IDisposable
{
    private readonly string _directory;
    private readonly byte[] _memory;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private SafeFileHandle? _file;
    private long _length;
    private bool _completed;
    private Exception? _failure;
    private TaskCompletionSource _written = NewSignal();
    private bool _disposed;

    /// <param name="maxBytes">The most the buffer takes; writing more fails (a bound on disk use per request).</param>
    public SpillBuffer(string directory, int memoryBytes, long maxBytes)
    {
        _directory = directory;
        _memory = new byte[Math.Max(0, memoryBytes)];
        _maxBytes = maxBytes;
    }

    public SpillBuffer(StreamingOptions options, long maxBytes) : this(options.SpillDirectory, options.SpillMemoryBytes, maxBytes)
    {
    }

    /// <summary>Bytes written so far.</summary>
    public long Length => Volatile.Read(ref _length);

    /// <exception cref="SpeechSynthesisException">The buffer would exceed its bound.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long start = _length;
        if (start + data.Length > _maxBytes)
        {
            throw new SpeechSynthesisException($"More than {_maxBytes:N0} bytes of audio to keep for one request.");
        }
        int inMemory = (int)Math.Clamp(_memory.Length - start, 0, data.Length);
        data[..inMemory].CopyTo(_memory.AsSpan((int)Math.Min(start, _memory.Length)));
        if (inMemory < data.Length)
        {
            RandomAccess.Write(File(), data[inMemory..], start + inMemory - _memory.Length);
        }
        TaskCompletionSource written;
        lock (_lock)
        {
            Volatile.Write(ref _length, start + data.Length);
            (written, _written) = (_written, NewSignal());
        }
        written.SetResult();
    }

    /// <summary>No more bytes will come; a failure is rethrown to the reader once it has read what came before it.</summary>
    public void Complete(Exception? failure = null)
    {
        TaskCompletionSource written;
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            (_completed, _failure) = (true, failure);
            (written, _written) = (_written, NewSignal());
        }
        written.SetResult();
    }

    /// <summary>Reads everything from the start in pieces of at most <paramref name="pieceBytes"/>, waiting for the writer.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAllAsync(int pieceBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        byte[] piece = new byte[pieceBytes];
        long position = 0;
        while (true)
        {
            Task more;
            bool completed;
            Exception? failure;
            lock (_lock)
            {
                more = _written.Task;
                completed = _completed;
                failure = _failure;
            }
            long available = Length;
            if (position < available)
            {
                int count = Read(position, piece.AsSpan(0, (int)Math.Min(piece.Length, available - position)));
                position += count;
                yield return piece.AsMemory(0, count);
                continue;
            }
            if (completed)
            {
                if (failure is not null)
                {
                    throw failure;
                }
                yield break;
            }
            await more.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Copies every byte written so far, from the start, to <paramref name="destination"/>.</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        byte[] piece = new byte[81920];
        for (long position = 0, end = Length; position < end;)
        {
            int count = Read(position, piece.AsSpan(0, (int)Math.Min(piece.Length, end - position)));
            await destination.WriteAsync(piece.AsMemory(0, count), cancellationToken);
            position += count;
        }
    }

    /// <summary>Reads bytes at <paramref name="position"/> (below <see cref="Length"/>) into <paramref name="target"/>.</summary>
    public int Read(long position, Span<byte> target)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (position < _memory.Length)
        {
            int count = (int)Math.Min(target.Length, _memory.Length - position);
            _memory.AsSpan((int)position, count).CopyTo(target);
            return count;
        }
        return RandomAccess.Read(_file!, target, position - _memory.Length);
    }

    public void Dispose()
    {
        _disposed = true;
        _file?.Dispose();
    }

    /// <summary>The file beyond memory, created on first need; its name is gone at once (Linux keeps the open file).</summary>
    private SafeFileHandle File()
    {
        if (_file is null)
        {
            Directory.CreateDirectory(_directory);
            string path = Path.Combine(_directory, $"spill-{Guid.NewGuid():N}.tmp");
            _file = System.IO.File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            System.IO.File.Delete(path);
        }
        return _file;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
