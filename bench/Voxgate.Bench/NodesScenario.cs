using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using Npgsql;
using StackExchange.Redis;
using Voxgate.Gateway;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Tasks;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Bench;

/// <summary>
/// What several nodes cost and give (issue 9): the gateway's added latency per request on PostgreSQL + Redis against
/// SQLite in the same run, with the database and Redis round trips per request; and 1,000 small asynchronous tasks
/// claimed by three node processes against one (none may run twice). PostgreSQL and Redis are started from the
/// Debian packages in temporary directories, on Unix sockets.
/// </summary>
public sealed class NodesScenario(int runs, int taskCount, TextWriter report)
{
    private static readonly Dictionary<string, object> s_request = new()
    {
        ["model"] = "tts-1", ["voice"] = "flite:kal16", ["input"] = "Hi.", ["response_format"] = "pcm",
    };

    public async Task RunAsync()
    {
        using PostgresServer postgres = await PostgresServer.StartNewAsync();
        using RedisServer redis = await RedisServer.StartNewAsync();
        await LatencyAsync(postgres, redis);
        await TaskClaimingAsync(postgres);
    }

    private async Task LatencyAsync(PostgresServer postgres, RedisServer redis)
    {
        int requests = runs * 100;
        string database = await postgres.CreateDatabaseAsync("bench_latency");
        await using BenchHost open = await BenchHost.StartAsync(authentication: false);
        await using BenchHost sqlite = await BenchHost.StartAsync(authentication: true);
        await using BenchHost shared = await BenchHost.StartAsync(authentication: true,
            $"--Voxgate:Storage:Database=postgres:{database}", $"--Voxgate:Redis:Configuration={redis.Address}");
        BenchHost[] hosts = [open, sqlite, shared];
        for (int i = 0; i < 20; i++)
        {
            foreach (BenchHost host in hosts)
            {
                await SendAsync(host);
            }
        }

        var times = hosts.ToDictionary(h => h, _ => new List<double>());
        using var commands = new NpgsqlCommandCounter();
        long redisBefore = await RedisCommandsAsync(redis);
        for (int i = 0; i < requests; i++)
        {
            // A different order each time, so no host always goes first.
            foreach (BenchHost host in i % 3 == 0 ? hosts : i % 3 == 1 ? [sqlite, shared, open] : [shared, open, sqlite])
            {
                times[host].Add(await Measure.SecondsAsync(() => SendAsync(host)));
            }
        }
        double postgresCommands = (double)commands.Count / requests;
        double redisCommands = (double)(await RedisCommandsAsync(redis) - redisBefore) / requests;
        double medianOpen = Measure.Median(times[open]) * 1000, medianSqlite = Measure.Median(times[sqlite]) * 1000, medianShared = Measure.Median(times[shared]) * 1000;

        report.WriteLine("### Gateway overhead per request on PostgreSQL + Redis against SQLite");
        report.WriteLine();
        report.WriteLine(Invariant($"The same 3-character pcm request to three servers in this process, interleaved ({requests} requests each): authentication off; on with SQLite; on with PostgreSQL 15 and Redis 7 (each on a Unix socket on this machine, started from the Debian packages). Round trips are counted while the requests run: PostgreSQL commands by Npgsql's own metrics (`db.client.operation.duration`), Redis commands sent by the nodes (scripts, ZREM) by the server's `INFO commandstats`. Target: PostgreSQL + Redis add under 2 ms median over SQLite."));
        report.WriteLine();
        report.WriteLine("| server | median ms | added by the gateway, ms | ratio to authentication off |");
        report.WriteLine("|---|---:|---:|---:|");
        report.WriteLine(Invariant($"| authentication off | {medianOpen:0.000} | - | 1.00 |"));
        report.WriteLine(Invariant($"| SQLite | {medianSqlite:0.000} | {medianSqlite - medianOpen:0.000} | {medianSqlite / medianOpen:0.00} |"));
        report.WriteLine(Invariant($"| PostgreSQL + Redis | {medianShared:0.000} | {medianShared - medianOpen:0.000} | {medianShared / medianOpen:0.00} |"));
        report.WriteLine();
        report.WriteLine(Invariant($"PostgreSQL + Redis add {medianShared - medianSqlite:0.000} ms median over SQLite, with {postgresCommands:0.0} PostgreSQL commands and {redisCommands:0.0} Redis commands per request."));
        report.WriteLine();
    }

    private async Task TaskClaimingAsync(PostgresServer postgres)
    {
        var results = new List<(int Nodes, double Seconds, TaskCheck Check)>();
        foreach (int nodes in new[] { 1, 3, 3, 1 })
        {
            (double seconds, TaskCheck check) = await ClaimAsync(postgres, nodes);
            results.Add((nodes, seconds, check));
        }
        double one = Measure.Median(results.Where(r => r.Nodes == 1).Select(r => r.Seconds));
        double three = Measure.Median(results.Where(r => r.Nodes == 3).Select(r => r.Seconds));

        report.WriteLine(Invariant($"### Task claiming by several nodes ({taskCount:N0} small tasks)"));
        report.WriteLine();
        report.WriteLine(Invariant($"Worker nodes are `voxgate serve` processes on one PostgreSQL database and one shared files directory (one worker each, the default); an API-only node (`Voxgate:Tasks:Workers=0`) in this process creates {taskCount:N0} tasks of \"Hello there.\" (MP3) as fast as it can, and the time runs from the first creation to the last task's success. Two runs per setting, alternating, medians. None may run twice: every task succeeds on its first attempt and is charged once."));
        report.WriteLine();
        report.WriteLine("| worker nodes | seconds | tasks/s | throughput vs 1 node | tasks run more than once | charges |");
        report.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (int nodes in new[] { 1, 3 })
        {
            double seconds = nodes == 1 ? one : three;
            TaskCheck check = results.Where(r => r.Nodes == nodes).Select(r => r.Check).Aggregate((a, b) => new(a.Retried + b.Retried, Math.Min(a.Charges, b.Charges)));
            report.WriteLine(Invariant($"| {nodes} | {seconds:0.0} | {taskCount / seconds:0.0} | {one / seconds:0.00} | {check.Retried} | {check.Charges:N0} per run |"));
        }
        report.WriteLine();
    }

    private sealed record TaskCheck(long Retried, long Charges);

    private async Task<(double Seconds, TaskCheck Check)> ClaimAsync(PostgresServer postgres, int nodes)
    {
        string database = await postgres.CreateDatabaseAsync("bench_tasks");
        string files = Directory.CreateTempSubdirectory("voxgate-bench-files-").FullName;
        try
        {
            await using BenchHost creator = await BenchHost.StartAsync(authentication: true,
                $"--Voxgate:Storage:Database=postgres:{database}", $"--Voxgate:Files:Directory={files}", "--Voxgate:Tasks:Workers=0");
            var workers = new List<ServerProcessHost>();
            try
            {
                foreach (int node in Enumerable.Range(1, nodes))
                {
                    workers.Add(await ServerProcessHost.StartAsync(
                    [
                        new("VOXGATE_DATABASE", "postgres:" + database), new("VOXGATE_FILES", files), new("VOXGATE_NODE", $"bench-{node}"),
                        new("Voxgate__Tasks__PollInterval", "00:00:00.100"),
                    ]));
                }
                TaskService tasks = creator.Get<TaskService>();
                var request = new SpeechRequest { Model = "tts-1", Voice = "flite:kal16", Input = "Hello there.", Format = AudioFormat.Mp3 };
                var clock = Stopwatch.StartNew();
                int created = 0;
                await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
                {
                    while (Interlocked.Increment(ref created) <= taskCount)
                    {
                        await tasks.CreateAsync(creator.Caller, request);
                    }
                }));
                await using var connection = new NpgsqlConnection(database);
                await connection.OpenAsync();
                while (await ScalarAsync(connection, "SELECT count(*) FROM tasks WHERE status IN ('succeeded', 'failed')") < taskCount)
                {
                    await Task.Delay(50);
                }
                double seconds = clock.Elapsed.TotalSeconds;
                long failed = await ScalarAsync(connection, "SELECT count(*) FROM tasks WHERE status <> 'succeeded'");
                if (failed > 0)
                {
                    throw new InvalidOperationException($"{failed} tasks did not succeed");
                }
                var check = new TaskCheck(
                    await ScalarAsync(connection, "SELECT count(*) FROM tasks WHERE attempts > 1"),
                    await ScalarAsync(connection, "SELECT count(*) FROM ledger WHERE kind = 'charge' AND request_id LIKE 'task-%'"));
                IReadOnlyList<AuditFinding> findings = await creator.Get<IMoneyAuditor>().AuditAsync(DateTimeOffset.UtcNow);
                if (findings.Count > 0 || check.Charges != taskCount)
                {
                    throw new InvalidOperationException($"the books are wrong after {nodes} nodes ran {taskCount} tasks: {check}, {string.Join("; ", findings)}");
                }
                return (seconds, check);
            }
            finally
            {
                foreach (ServerProcessHost worker in workers)
                {
                    await worker.DisposeAsync();
                }
            }
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Commands clients sent to Redis so far: the calls of the commands the nodes send (scripts, ZREM, PING), not
    /// those the scripts run inside Redis, from <c>INFO commandstats</c>.
    /// </summary>
    private static async Task<long> RedisCommandsAsync(RedisServer redis)
    {
        await using ConnectionMultiplexer connection = await redis.ConnectAsync();
        string info = (string)(await connection.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        string[] sent = ["cmdstat_evalsha:", "cmdstat_eval:", "cmdstat_zrem:", "cmdstat_ping:"];
        return info.Split('\n').Where(line => sent.Any(name => line.StartsWith(name, StringComparison.Ordinal)))
            .Sum(line => long.Parse(line.Split("calls=")[1].Split(',')[0], CultureInfo.InvariantCulture));
    }

    private static async Task SendAsync(BenchHost host)
    {
        using HttpResponseMessage response = await host.Client.PostAsJsonAsync("v1/audio/speech", s_request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Counts the PostgreSQL commands this process completes, from Npgsql's own metrics.</summary>
    private sealed class NpgsqlCommandCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public NpgsqlCommandCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.operation.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _count));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
