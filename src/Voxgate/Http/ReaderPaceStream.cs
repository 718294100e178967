namespace Voxgate.Http;

/// <summary>
/// A response body that will not wait forever for its reader: each write must be taken within the grace period plus
/// its size at the minimum rate, else the connection is aborted (<paramref name="onTooSlow"/>) and the write fails as
/// a departed client's does. A reader's pace therefore bounds how long a request lives, and with it what it holds.
/// </summary>
public sealed class ReaderPaceStream(Stream inner, double minBytesPerSecond, TimeSpan grace, Action onTooSlow) : Stream
{
    /// <summary>True once the reader was dropped for being too slow.</summary>
    public bool TooSlow { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await WithinDeadlineAsync(buffer.Length, token => inner.WriteAsync(buffer, token), cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        WithinDeadlineAsync(0, token => new ValueTask(inner.FlushAsync(token)), cancellationToken);

    public override void Flush() => inner.Flush();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task WithinDeadlineAsync(int bytes, Func<CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(grace + TimeSpan.FromSeconds(bytes / minBytesPerSecond));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await write(deadline.Token);
        }
        // Whether the deadline passed decides, not whether the request is aborted: a cancelled write makes Kestrel
        // abort the connection itself, which can cancel the request's token before this filter runs.
        catch (OperationCanceledException) when (expiry.IsCancellationRequested)
        {
            TooSlow = true;
            onTooSlow();
            throw;
        }
    }
}
