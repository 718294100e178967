using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
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

    /// <param name="authentication">With it on, the host gets a funded account whose key its client sends.</param>
    /// <param name="settings">More host settings (<c>--Voxgate:Section:Key=value</c>): another database, Redis.</param>
    public static async Task<BenchHost> StartAsync(bool authentication, params string[] settings)
    {
        string data = Directory.CreateTempSubdirectory("voxgate-bench-").FullName;
        int port = FreePort();
        WebApplication app = VoxgateServer.Build(
            ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning", "--Logging:Console:LogToStandardErrorThreshold=Trace", $"--Voxgate:Auth:Mode={(authentication ? "on" : "off")}",
             "--Voxgate:Saturation:Default:MaxQueued=1000", .. settings],
            new ServerSettings("127.0.0.1", port, data));
        await app.StartAsync();
        var host = new BenchHost(app, data, new Uri($"http://127.0.0.1:{port}/"));
        if (authentication)
        {
            AccountService accounts = host.Get<AccountService>();
            Account account = await accounts.CreateAccountAsync("bench", concurrentRequests: 10_000);
            (_, string key) = await accounts.CreateKeyAsync("bench", "bench", KeyScopes.Speech, 10_000_000, 2_000_000_000);
            await host.Get<WalletService>().TopUpAsync(account, 1_000_000 * Money.MicrosPerDollar);
            host.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            host.Caller = (await host.Get<ApiKeyAuthenticator>().AuthenticateAsync($"Bearer {key}")).Caller!;
        }
        return host;
    }

    /// <summary>The funded caller (authentication on), or the anonymous one.</summary>
    public Caller Caller { get; private set; } = Caller.Anonymous;

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
