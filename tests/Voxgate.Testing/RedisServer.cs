using System.Diagnostics;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Voxgate.Tests.Support;

/// <summary>
/// A real Redis from the Debian package (<c>redis-server</c>), in a temporary directory, listening only on a Unix
/// socket there (no port to collide on), without persistence. <see cref="SharedAsync"/> is the run's server (tests
/// keep apart by key prefix); a test that stops and starts Redis makes its own with <see cref="StartNewAsync"/>.
/// Stopped and deleted when the test process exits.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly Lazy<Task<RedisServer>> s_shared = new(StartNewAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int s_prefixes;

    private readonly string _root;
    private Process? _process;

    private RedisServer(string root)
    {
        _root = root;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>The socket, as <c>--redis</c> / <c>VOXGATE_REDIS</c> take it.</summary>
    public string Address => "unix:" + SocketPath;

    private string SocketPath => Path.Combine(_root, "redis.sock");

    public static Task<RedisServer> SharedAsync() => s_shared.Value;

    public static async Task<RedisServer> StartNewAsync()
    {
        AbandonedServers.Sweep("voxgate-redis-", KillByPidFile);
        string root = Directory.CreateTempSubdirectory("voxgate-redis-").FullName;
        AbandonedServers.Claim(root);
        var server = new RedisServer(root);
        await server.StartAsync();
        return server;
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"test{Interlocked.Increment(ref s_prefixes)}:";

    /// <summary>Starts it (again, after <see cref="Stop"/>) and waits until it answers.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            throw new InvalidOperationException("Redis is not installed (./test.sh installs Debian's redis-server package).");
        }
        var info = new ProcessStartInfo("/usr/bin/redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["--port", "0", "--unixsocket", SocketPath, "--unixsocketperm", "700", "--dir", _root, "--pidfile", Path.Combine(_root, "redis.pid"),
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", Path.Combine(_root, "redis.log")])
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info)!;
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await AnswersAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"redis-server did not start: {File.ReadAllText(Path.Combine(_root, "redis.log"))}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Stops it as an outage would: killed, connections cut.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
        if (File.Exists(SocketPath))
        {
            File.Delete(SocketPath);
        }
    }

    /// <summary>Redis's own clock (TIME), which the shared limits run on.</summary>
    public async Task<DateTimeOffset> TimeAsync()
    {
        await using ConnectionMultiplexer connection = await ConnectAsync();
        RedisValue[] time = (RedisValue[])(await connection.GetDatabase().ExecuteAsync("TIME"))!;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)time[0] * 1000 + (long)time[1] / 1000);
    }

    /// <summary>A client of its own, for looking at what the nodes wrote.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = new ConfigurationOptions { AbortOnConnectFail = true, ConnectTimeout = 2000, AllowAdmin = true };
        options.EndPoints.Add(new UnixDomainSocketEndPoint(SocketPath));
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    public void Dispose()
    {
        Stop();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Kills the Redis of an abandoned directory, by the pid file it wrote.</summary>
    private static void KillByPidFile(string directory)
    {
        string pidFile = Path.Combine(directory, "redis.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                if (process.ProcessName.StartsWith("redis", StringComparison.Ordinal))
                {
                    process.Kill();
                    process.WaitForExit();
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private async Task<bool> AnswersAsync()
    {
        if (!File.Exists(SocketPath))
        {
            return false;
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
            await socket.SendAsync("PING\r\n"u8.ToArray());
            byte[] answer = new byte[16];
            int read = await socket.ReceiveAsync(answer);
            return read > 0 && answer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
