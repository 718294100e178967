using System.Net;
using System.Net.Sockets;

namespace Voxgate.Tests.Support;

/// <summary>
/// An <see cref="HttpListener"/> on a loopback port, handing each request to <c>respond</c> on its own task until it is
/// disposed: the stand-in for a server elsewhere (a release page, a trace collector).
/// </summary>
/// <remarks>
/// HttpListener cannot bind port 0, so the port is one the kernel has just handed out (a socket bound to port 0 and
/// closed), and when another process takes it first the listener tries again with a new one. It stays HttpListener,
/// not Kestrel on port 0, because <see cref="ArchiveServer"/> cuts a download after exactly N bytes: HttpListener's
/// abort sends what was written, while Kestrel's abort drops what is still in its output pipe (tried: the cut
/// sometimes arrived before the response headers).
/// </remarks>
public sealed class LoopbackListener : IDisposable
{
    private const int BindAttempts = 20;

    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _respond;
    private readonly Task _serving;

    public LoopbackListener(Func<HttpListenerContext, Task> respond)
    {
        _respond = respond;
        for (int attempt = 1; ; attempt++)
        {
            BaseAddress = new Uri($"http://127.0.0.1:{PortTheKernelChose()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(BaseAddress.ToString());
            try
            {
                listener.Start();
                _listener = listener;
                break;
            }
            catch (HttpListenerException) when (attempt < BindAttempts)
            {
                listener.Close(); // taken in the meantime: another port
            }
        }
        _serving = Task.Run(ServeAsync);
    }

    private static int PortTheKernelChose()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public Uri BaseAddress { get; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => _respond(context));
        }
    }
}
