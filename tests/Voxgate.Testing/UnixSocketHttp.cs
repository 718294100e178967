using System.Net.Sockets;

namespace Voxgate.Tests.Support;

/// <summary>HTTP over a Unix socket: every connection goes to the socket, whatever host the URL names.</summary>
public static class UnixSocketHttp
{
    /// <summary>The base address of a client over a socket: the path is in the handler, the host only fills the Host header.</summary>
    public static readonly Uri BaseAddress = new("http://localhost/");

    public static SocketsHttpHandler Handler(string socketPath) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static HttpClient Client(string socketPath, TimeSpan? timeout = null) =>
        new(Handler(socketPath)) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
}
