using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Voxgate.Tests.Support;

/// <summary>
/// A loopback HTTP server standing in for a model release page: it serves files, honours <c>Range: bytes=N-</c>
/// with 206, and can be told to cut the connection partway through a file once, as a flaky network would.
/// </summary>
public sealed class ArchiveServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, long> _cutOnce = new();
    private readonly ConcurrentDictionary<string, (long Bytes, Task Release)> _holdOnce = new();

    public ArchiveServer()
    {
        _listener = new LoopbackListener(RespondAsync);
    }

    public Uri BaseAddress => _listener.BaseAddress;

    /// <summary>Every request: the path and its Range header (or null).</summary>
    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    public Uri Add(string name, byte[] content)
    {
        _files[name] = content;
        return new Uri(BaseAddress, name);
    }

    /// <summary>The next request for <paramref name="name"/> stops after <paramref name="bytes"/> bytes and drops the connection.</summary>
    public void CutOnce(string name, long bytes) => _cutOnce[name] = bytes;

    /// <summary>
    /// The next request for <paramref name="name"/> sends <paramref name="bytes"/> bytes, then waits until
    /// <paramref name="release"/> completes before sending the rest: a download caught partway, for as long as a test needs.
    /// </summary>
    public void HoldOnce(string name, long bytes, Task release) => _holdOnce[name] = (bytes, release);

    private async Task RespondAsync(HttpListenerContext context)
    {
        string name = context.Request.Url!.AbsolutePath.TrimStart('/');
        string? range = context.Request.Headers["Range"];
        Requests.Enqueue((name, range));
        HttpListenerResponse response = context.Response;
        if (!_files.TryGetValue(name, out byte[]? content))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        long start = 0;
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }
        response.ContentLength64 = content.Length - start;
        try
        {
            if (_cutOnce.TryRemove(name, out long cut))
            {
                await response.OutputStream.WriteAsync(content.AsMemory((int)start, (int)Math.Min(cut, content.Length - start)));
                await response.OutputStream.FlushAsync();
                response.Abort();
                return;
            }
            if (_holdOnce.TryRemove(name, out (long Bytes, Task Release) hold))
            {
                int first = (int)Math.Min(hold.Bytes, content.Length - start);
                await response.OutputStream.WriteAsync(content.AsMemory((int)start, first));
                await response.OutputStream.FlushAsync();
                await hold.Release;
                start += first;
            }
            await response.OutputStream.WriteAsync(content.AsMemory((int)start));
            response.Close();
        }
        catch (HttpListenerException)
        {
            // the client went away
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
    }
}
