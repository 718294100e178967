using System.Diagnostics;

namespace Voxgate.Tests.Support;

/// <summary>
/// The real <c>voxgate serve</c> process, as ./run.sh starts it, with its own data directory, on port 0: the kernel
/// chooses a free port and the server says which in its ready line. A derived fixture may have it listen on a Unix
/// socket instead (<see cref="ListensOnUnixSocket"/>); <see cref="Client"/> reaches it either way.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The log is disposed in DisposeAsync, xunit's end of a fixture.")]
public partial class ServerProcess : IAsyncLifetime
{
    public const string AdminKey = "e2e-admin-key-0123456789abcdef";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("voxgate-e2e-").FullName;
    private Process? _process;
    private readonly System.Text.StringBuilder _output = new();
    private StreamWriter? _log;

    /// <summary>The file the server's output goes to as well (see <see cref="ServerLogs"/>); the test output stays quiet.</summary>
    public string LogFile => (_log?.BaseStream as FileStream)?.Name ?? "";

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A funded account's speech key, created through the admin API once the server is ready.</summary>
    public string ApiKey { get; private set; } = "";

    public string DataDirectory => _dataDirectory;

    /// <summary>True for a server on a Unix socket (<see cref="UnixSocket"/>) rather than a loopback port.</summary>
    protected virtual bool ListensOnUnixSocket => false;

    /// <summary>The socket the server listens on, in its data directory; null on TCP.</summary>
    public string? UnixSocket => ListensOnUnixSocket ? Path.Combine(_dataDirectory, "voxgate.sock") : null;

    /// <summary>A client of the server, over its socket or its port.</summary>
    public HttpClient Client() => UnixSocket is { } socket ? UnixSocketHttp.Client(socket) : new HttpClient { BaseAddress = BaseAddress };

    /// <summary>Fills the data directory before the server first starts (a derived fixture's models, say).</summary>
    protected virtual Task PrepareDataAsync(string dataDirectory) => Task.CompletedTask;

    /// <summary>Extra environment for a derived fixture (e.g. its own catalog or limits).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Environment => [];

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        _log = new StreamWriter(new FileStream(ServerLogs.NewFile(GetType().Name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        await PrepareDataAsync(_dataDirectory);
        await StartAsync();
        ApiKey = await CreateFundedKeyAsync("e2e", "100.00");
    }

    /// <summary>Starts the server again on the same data directory (after <see cref="KillAsync"/>), as a restart would.</summary>
    public async Task RestartAsync()
    {
        Assert.False(IsRunning, "kill the server before restarting it");
        _process?.Dispose();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        lock (_output)
        {
            _output.Clear(); // the ready line to look for is this start's
        }
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ServerDll());
        info.ArgumentList.Add("serve");
        // Configured through the environment, as a service manager would; the flags are covered by the CLI tests.
        info.Environment["VOXGATE_PORT"] = "0";
        info.Environment["VOXGATE_HOST"] = UnixSocket is { } socket ? $"unix:{socket}" : "127.0.0.1";
        info.Environment["VOXGATE_DATA"] = _dataDirectory;
        info.Environment["VOXGATE_ADMIN_KEY"] = AdminKey;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        // A test's server lives seconds: profile-guided recompilation would only cost it processor time (as in the test hosts).
        info.Environment["DOTNET_TieredPGO"] = "0";
        foreach ((string name, string value) in Environment)
        {
            info.Environment[name] = value;
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start voxgate");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"voxgate exited with {_process.ExitCode} (log: {LogFile}):\n{Output}");
            }
            if (ListeningOn().Match(Output) is { Success: true } listening)
            {
                BaseAddress = UnixSocket is null ? new Uri($"http://127.0.0.1:{listening.Groups["port"].Value}/") : UnixSocketHttp.BaseAddress;
                using HttpClient http = Client();
                if ((await http.GetAsync("readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"voxgate did not become ready (log: {LogFile}):\n{Output}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Kills the server as a crash would (SIGKILL).</summary>
    public async Task KillAsync()
    {
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public HttpClient AdminClient() => Client().WithKey(AdminKey);

    /// <summary>Creates an account (if new) with a speech key and credit, through the admin API; returns the key.</summary>
    public async Task<string> CreateFundedKeyAsync(string account, string dollars, int? requestsPerMinute = null)
    {
        using HttpClient admin = AdminClient();
        return await AdminApi.CreateFundedKeyAsync(admin, account, dollars, requestsPerMinute);
    }

    /// <summary>What the key's account can spend now (its balance less what tasks and requests hold).</summary>
    public async Task<long> AvailableMicrosAsync(string key)
    {
        using HttpClient client = Client().WithKey(key);
        return (await AdminApi.WalletAsync(client)).GetProperty("available_micros").GetInt64();
    }

    /// <summary>The account's charge lines in the ledger (for one request id, or all).</summary>
    public async Task<List<System.Text.Json.JsonElement>> ChargesAsync(string account, string? requestId)
    {
        using HttpClient admin = AdminClient();
        return await AdminApi.ChargesAsync(admin, account, requestId);
    }

    /// <summary>The server build beside the tests' build (./test.sh builds the whole solution first).</summary>
    public static string ServerDll()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        string dll = Path.Combine(RepositoryRoot(), "src", "Voxgate", "bin", configuration, "net10.0", "voxgate.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first (./test.sh does).", dll);
    }

    /// <summary>The checkout the tests were built in: the directory above them that holds Voxgate.sln.</summary>
    public static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Voxgate.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }
        return directory ?? throw new InvalidOperationException("Voxgate.sln not found above the tests");
    }

    /// <summary>The server's ready line names the address Kestrel bound: the port the kernel chose, or the socket.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"listening on http://(127\.0\.0\.1:(?<port>\d+)|unix:/)")]
    private static partial System.Text.RegularExpressions.Regex ListeningOn();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            _log?.WriteLine(line);
        }
    }
}
