using System.Diagnostics;
using Npgsql;

namespace Voxgate.Tests.Support;

/// <summary>
/// A real PostgreSQL server from Debian's packages, started once per test run in a temporary directory and listening
/// only on a Unix socket there (no port to collide with anything), stopped when the run ends. Each test gets a fresh
/// database in it (<see cref="CreateDatabaseAsync"/>). PostgreSQL refuses to run as root, so under root it runs as the
/// package's <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly Lazy<Task<PostgresServer>> s_shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int s_databases;

    private readonly string _root;
    private readonly string _bin;

    private PostgresServer(string root, string bin, bool watchExit = true)
    {
        _root = root;
        _bin = bin;
        if (watchExit)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
        }
    }

    /// <summary>The run's server, started on first use.</summary>
    public static Task<PostgresServer> SharedAsync() => s_shared.Value;

    /// <summary>A server of the caller's own, for a test that stops and starts it (dispose it: stopped and deleted).</summary>
    public static Task<PostgresServer> StartNewAsync() => StartAsync();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            // Immediate: its data is about to be deleted, so no checkpoint (a test process's exit may be cut short).
            RunQuietly("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The directory of the server's socket: the <c>Host</c> of a connection string.</summary>
    public string SocketDirectory => _root;

    /// <summary>An Npgsql connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = _root, Username = "voxgate", Database = database, Pooling = true }.ConnectionString;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        string name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server as an outage would (fast shutdown: connections are cut), keeping its data.</summary>
    public void Stop() => RunQuietly("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");

    /// <summary>Starts it again on the same data (after <see cref="Stop"/>).</summary>
    public void Start() => Run("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_root, "postgres.log"), "-w", "-t", "60",
        "-o", $"-c listen_addresses='' -c unix_socket_directories='{_root}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
        "start");

    private string DataDirectory => Path.Combine(_root, "data");

    private static async Task<PostgresServer> StartAsync()
    {
        string bin = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0)
            .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (./test.sh installs Debian's postgresql package).");
        AbandonedServers.Sweep("voxgate-pg-", directory => new PostgresServer(directory, bin, watchExit: false).Dispose());
        string root = Directory.CreateTempSubdirectory("voxgate-pg-").FullName;
        AbandonedServers.Claim(root);
        if (Environment.UserName == "root")
        {
            Process.Start("chown", ["postgres:postgres", root])!.WaitForExit();
        }
        var server = new PostgresServer(root, bin);
        server.Run("initdb", "-D", server.DataDirectory, "-U", "voxgate", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8");
        server.Start();
        await Task.CompletedTask;
        return server;
    }

    private void Run(string tool, params string[] arguments)
    {
        (int exit, string output) = Execute(tool, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({exit}): {output}");
        }
    }

    private void RunQuietly(string tool, params string[] arguments) => Execute(tool, arguments);

    private (int Exit, string Output) Execute(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Environment.UserName == "root")
        {
            info.FileName = "runuser";
            foreach (string argument in (string[])["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = Path.Combine(_bin, tool);
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }
        }
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
