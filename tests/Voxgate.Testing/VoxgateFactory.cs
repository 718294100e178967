using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;

namespace Voxgate.Tests.Support;

/// <summary>
/// The real server (real engines, encoders, SQLite database, middleware) hosted in-process on a test server, with
/// authentication on. It starts with one funded account whose key every <see cref="CreateClient"/> client sends.
/// </summary>
public class VoxgateFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string AccountName = "tests";

    private readonly bool _ownsDataDirectory;
    private readonly ILoggerProvider _logs;

    public VoxgateFactory()
        : this(Directory.CreateTempSubdirectory("voxgate-test-").FullName, ownsDataDirectory: true)
    {
    }

    /// <summary>A server on <paramref name="dataDirectory"/>; one the factory does not own outlives it, so that another server can start on it.</summary>
    protected VoxgateFactory(string dataDirectory, bool ownsDataDirectory)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        LogFile = ServerLogs.NewFile(GetType().Name);
        _logs = ServerLogs.FileProvider(LogFile);
    }

    public string DataDirectory { get; }

    /// <summary>The file the in-process host logs to (see <see cref="ServerLogs"/>).</summary>
    public string LogFile { get; }

    /// <summary>The tests account's key: speech scope, limits high enough never to interfere.</summary>
    public string ApiKey { get; private set; } = "";

    /// <summary>Whether the host starts by creating the tests account (a server on a database copied from another finds it there).</summary>
    protected virtual bool SeedsTestsAccount => true;

    /// <summary>Extra configuration for a derived factory (key → value).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data", DataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The host's log lines go to a file of its own, not the test output (see ServerLogs).
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(_logs));
        builder.UseSetting("Voxgate:Auth:AdminKey", AdminKey);
        foreach ((string key, string? value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        IHost host = base.CreateHost(builder);
        if (SeedsTestsAccount)
        {
            // The factory builds its host synchronously; the seeding waits here once (xunit runs no synchronization context).
            SeedAsync(host.Services).GetAwaiter().GetResult();
        }
        return host;
    }

    private async Task SeedAsync(IServiceProvider services)
    {
        AccountService accounts = services.GetRequiredService<AccountService>();
        Account account = await accounts.CreateAccountAsync(AccountName);
        (_, ApiKey) = await accounts.CreateKeyAsync(AccountName, "tests", KeyScopes.Speech, requestsPerMinute: 1_000_000, charactersPerMinute: 1_000_000_000);
        await services.GetRequiredService<WalletService>().TopUpAsync(account, 1_000 * Money.MicrosPerDollar);
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    /// <summary>A client that sends <paramref name="key"/> instead (null: no key at all).</summary>
    public HttpClient CreateClientWithKey(string? key)
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _logs.Dispose();
        }
        if (disposing && _ownsDataDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
