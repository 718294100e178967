using System.Diagnostics;
using System.Text.Json;

namespace Voxgate.Tests.Support;

/// <summary>
/// The try-out cluster <c>scripts/cluster.sh</c> starts (PostgreSQL, Redis, the nodes on Unix sockets, nginx in
/// front), in a temporary directory, with nginx on a Unix socket there: nothing listens on a port. The nodes run the
/// build beside the tests (<c>VOXGATE_DLL</c>). Use it as a class fixture (derive to change <see cref="NodeCount"/>,
/// <see cref="WithRedis"/> or the nodes' <see cref="Environment"/>), or start and stop one in a test. It is always
/// stopped and its directory removed: when disposed, and when the test process exits.
/// </summary>
public class TryOutCluster : IAsyncLifetime
{
    private static readonly TimeSpan s_scriptDeadline = TimeSpan.FromMinutes(4);

    private readonly Lock _exitHookLock = new();
    private EventHandler? _stopAtExit;

    /// <summary>The cluster's directory: data, sockets, logs (<c>node-1.log</c>, <c>nginx-error.log</c>, ...), pid files.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("vxc-").FullName;

    /// <summary>How many nodes (<c>node-1</c> .. <c>node-N</c>).</summary>
    protected virtual int NodeCount => 2;

    /// <summary>False runs the cluster without Redis (<c>VOXGATE_CLUSTER_REDIS=off</c>): every node limits on its own.</summary>
    protected virtual bool WithRedis => true;

    /// <summary>Settings for every node (<c>Voxgate__...</c>, <c>VOXGATE_AUTH</c>), passed through the script's environment.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Environment => [];

    public IReadOnlyList<string> Nodes => [.. Enumerable.Range(1, NodeCount).Select(k => $"node-{k}")];

    public string NginxSocket => Path.Combine(Directory, "nginx.sock");

    public string NodeSocket(string node) => Path.Combine(Directory, $"{node}.sock");

    /// <summary>The admin key the script generated (<c>admin.key</c>).</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>The nodes' shared database, for a test that looks into it directly (Npgsql connection string).</summary>
    public string DatabaseConnectionString => $"Host={Directory};Username=voxgate;Database=voxgate";

    /// <summary>The files directory every node shares.</summary>
    public string FilesDirectory => Path.Combine(Directory, "files");

    public Task InitializeAsync() => StartAsync();

    /// <summary>
    /// <c>cluster.sh start</c>: starts the cluster and waits until every node and nginx are ready. On a cluster that
    /// runs, it starts again what does not (a node <see cref="Kill"/>ed, say).
    /// </summary>
    public async Task StartAsync()
    {
        StopAtProcessExit();
        ScriptResult started = await RunScriptAsync("start", "--nodes", NodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--listen", $"unix:{NginxSocket}");
        Assert.True(started.ExitCode == 0, $"cluster.sh start failed ({started.ExitCode}):\n{started.Output}");
        AdminKey = (await File.ReadAllTextAsync(Path.Combine(Directory, "admin.key"))).Trim();
    }

    /// <summary><c>cluster.sh stop</c>: nginx, the nodes (SIGTERM), Redis and PostgreSQL; the directory stays.</summary>
    public async Task StopAsync()
    {
        ScriptResult stopped = await RunScriptAsync("stop");
        Assert.True(stopped.ExitCode == 0, $"cluster.sh stop failed ({stopped.ExitCode}):\n{stopped.Output}");
    }

    /// <summary>Stops the cluster and removes its directory.</summary>
    public async Task DisposeAsync()
    {
        lock (_exitHookLock)
        {
            if (_stopAtExit is not null)
            {
                AppDomain.CurrentDomain.ProcessExit -= _stopAtExit;
                _stopAtExit = null;
            }
        }
        ScriptResult stopped = await StopAndRemoveAsync();
        Assert.True(stopped.ExitCode == 0, $"cluster.sh stop failed ({stopped.ExitCode}):\n{stopped.Output}");
    }

    /// <summary>Runs <c>scripts/cluster.sh COMMAND --dir Directory ...</c> (e.g. <c>status</c>): its exit code and output.</summary>
    public async Task<ScriptResult> RunScriptAsync(string command, params string[] arguments)
    {
        using Process script = Process.Start(ScriptStart(command, arguments)) ?? throw new InvalidOperationException("could not run cluster.sh");
        // Both streams are read to their end: the daemons it starts write to their own logs, so the ends come.
        Task<string> output = script.StandardOutput.ReadToEndAsync();
        Task<string> errors = script.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(s_scriptDeadline);
        try
        {
            await script.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: false);
            throw new TimeoutException($"cluster.sh {command} did not finish within {s_scriptDeadline}");
        }
        return new ScriptResult(script.ExitCode, await output + await errors);
    }

    /// <summary>A client of the cluster: through nginx's socket, to whichever node nginx picks.</summary>
    public HttpClient Client(TimeSpan? timeout = null) => UnixSocketHttp.Client(NginxSocket, timeout);

    /// <summary>A client with the admin key, through nginx.</summary>
    public HttpClient AdminClient() => Client().WithKey(AdminKey);

    /// <summary>A client of one node, straight to its socket (past nginx).</summary>
    public HttpClient NodeClient(string node, TimeSpan? timeout = null) => UnixSocketHttp.Client(NodeSocket(node), timeout);

    /// <summary>The process of a part (<c>node-1</c>, <c>nginx</c>, <c>redis</c>, <c>postgres</c>) while it runs, else null.</summary>
    /// <remarks>As the script does: the pid file's process, if it is alive and its command line names this directory.</remarks>
    public int? Pid(string part)
    {
        string file = part == "postgres" ? Path.Combine(Directory, "postgres", "postmaster.pid") : Path.Combine(Directory, $"{part}.pid");
        if (!File.Exists(file) || !int.TryParse(File.ReadLines(file).FirstOrDefault(), out int pid))
        {
            return null;
        }
        return IsOurs(pid) ? pid : null;
    }

    /// <summary>Every part that runs now, with its process id.</summary>
    public IReadOnlyDictionary<string, int> RunningParts() =>
        ((string[])["postgres", "redis", "nginx", .. Nodes]).Select(part => (part, pid: Pid(part)))
            .Where(p => p.pid is not null).ToDictionary(p => p.part, p => p.pid!.Value);

    /// <summary>True while the process still runs as one of this cluster's.</summary>
    public bool IsOurs(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(Directory + "/", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or someone else's
        }
    }

    /// <summary>Kills a node as a crash would (SIGKILL, via its pid file), and waits until it is gone.</summary>
    public void Kill(string node)
    {
        int pid = Pid(node) ?? throw new InvalidOperationException($"{node} is not running");
        using Process process = Process.GetProcessById(pid);
        process.Kill(); // SIGKILL
        process.WaitForExit();
    }

    /// <summary>A part's log (<c>node-1</c>, <c>nginx-error</c>, <c>nginx-access</c>, <c>postgres</c>, <c>redis</c>).</summary>
    public string Log(string part) => File.Exists(Path.Combine(Directory, $"{part}.log")) ? File.ReadAllText(Path.Combine(Directory, $"{part}.log")) : "";

    /// <summary>The last lines of every log, for a failing assertion's message.</summary>
    public string LogTails(int lines = 15)
    {
        var tails = new System.Text.StringBuilder();
        foreach (string log in System.IO.Directory.GetFiles(Directory, "*.log").Order())
        {
            tails.Append("--- ").Append(Path.GetFileName(log)).AppendLine(" ---");
            foreach (string line in File.ReadLines(log).TakeLast(lines))
            {
                tails.AppendLine(line.Length > 500 ? line[..500] + "..." : line);
            }
        }
        return tails.ToString();
    }

    /// <summary>Creates an account (if new) with a speech key and credit, through nginx; returns the key.</summary>
    public async Task<string> CreateFundedKeyAsync(string account, string dollars, int? requestsPerMinute = null)
    {
        using HttpClient admin = AdminClient();
        return await AdminApi.CreateFundedKeyAsync(admin, account, dollars, requestsPerMinute);
    }

    /// <summary>The key's wallet (<c>GET /v1/wallet</c>).</summary>
    public async Task<JsonElement> WalletAsync(string key)
    {
        using HttpClient client = Client().WithKey(key);
        return await AdminApi.WalletAsync(client);
    }

    /// <summary>The account's charge lines in the ledger (for one request id, or all).</summary>
    public async Task<List<JsonElement>> ChargesAsync(string account, string? requestId = null)
    {
        using HttpClient admin = AdminClient();
        return await AdminApi.ChargesAsync(admin, account, requestId);
    }

    /// <summary>Stops whatever runs; removes the directory once nothing does (also one the script never got to use).</summary>
    private async Task<ScriptResult> StopAndRemoveAsync()
    {
        ScriptResult stopped = await RunScriptAsync("stop");
        if (stopped.ExitCode == 0 && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        return stopped;
    }

    private ProcessStartInfo ScriptStart(string command, string[] arguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ServerProcess.RepositoryRoot(),
        };
        foreach (string argument in (string[])[Path.Combine(ServerProcess.RepositoryRoot(), "scripts", "cluster.sh"), command, "--dir", Directory, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        // The cluster is the test's alone: no VOXGATE_* from whoever runs the tests (an admin key, a database).
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("VOXGATE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
        info.Environment["VOXGATE_DLL"] = ServerProcess.ServerDll();
        info.Environment["VOXGATE_CLUSTER_TIMEOUT"] = "180"; // a loaded machine loads engines slowly
        if (!WithRedis)
        {
            info.Environment["VOXGATE_CLUSTER_REDIS"] = "off";
        }
        foreach ((string name, string value) in Environment)
        {
            info.Environment[name] = value;
        }
        return info;
    }

    /// <summary>A test run that ends without disposing the cluster (an aborted run) still stops it.</summary>
    private void StopAtProcessExit()
    {
        lock (_exitHookLock)
        {
            if (_stopAtExit is not null)
            {
                return;
            }
            _stopAtExit = (_, _) => StopAndRemoveAsync().GetAwaiter().GetResult();
            AppDomain.CurrentDomain.ProcessExit += _stopAtExit;
        }
    }
}

/// <summary>What a run of <c>scripts/cluster.sh</c> ended with.</summary>
public sealed record ScriptResult(int ExitCode, string Output);
