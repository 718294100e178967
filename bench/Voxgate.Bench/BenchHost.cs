using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Hosting;

namespace Voxgate.Bench;

/// <summary>The real server (Kestrel on a loopback port, shipped configuration) in this process, plus a client for it.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;

    private BenchHost(WebApplication app, string data, Uri baseAddress)
    {
        _app = app;
        _data = data;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<BenchHost> StartAsync()
    {
        string data = Directory.CreateTempSubdirectory("voxgate-bench-").FullName;
        int port = FreePort();
        WebApplication app = VoxgateServer.Build(["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"], new ServerSettings("127.0.0.1", port, data));
        await app.StartAsync();
        return new BenchHost(app, data, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
