using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Voxgate.Bench;

/// <summary>
/// A trace collector that accepts every OTLP/HTTP export and keeps only a count: HTTP/1.1 on a loopback port the
/// kernel chose, each connection kept alive for the exporter's next batch. Bodies come with a Content-Length (the
/// exporter sends a buffered protobuf message).
/// </summary>
public sealed class OtlpSink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private long _exports;
    private long _bytes;

    public OtlpSink()
    {
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = Task.Run(AcceptAsync);
    }

    public Uri BaseAddress { get; }

    public long Exports => Interlocked.Read(ref _exports);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>A loopback port that was free a moment ago, and is closed again: connections to it are refused.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                while (await ReadLineAsync(stream, _stop.Token) is { Length: > 0 })
                {
                    long length = 0;
                    string? header;
                    while ((header = await ReadLineAsync(stream, _stop.Token)) is { Length: > 0 })
                    {
                        if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        {
                            length = long.Parse(header.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                    byte[] body = new byte[length];
                    await stream.ReadExactlyAsync(body, _stop.Token);
                    Interlocked.Increment(ref _exports);
                    Interlocked.Add(ref _bytes, length);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // the exporter closed its connection, or the bench is over
            }
        }
    }

    /// <summary>One header line, read a byte at a time so that nothing of the body after it is taken; null at the end.</summary>
    private static async Task<string?> ReadLineAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (await stream.ReadAsync(one, cancellation) == 1)
        {
            if (one[0] == (byte)'\n')
            {
                return line.ToString().TrimEnd('\r');
            }
            line.Append((char)one[0]);
        }
        return line.Length > 0 ? line.ToString() : null;
    }
}
