using System.Diagnostics.Metrics;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Metrics;

/// <summary>
/// Gauges read from the shared database, so they are the same on every node: the task queue (queued and running
/// tasks, the oldest queued task's age) and the wallet holds outstanding (how many, how much). One small query each,
/// cached for <see cref="CacheFor"/>: a scrape, however frequent, reads the database at most once per period, and a
/// scrape never waits for it longer than a second (it then reports the last values read).
/// </summary>
public sealed class StoreGauges
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_waitAtMost = TimeSpan.FromSeconds(1);

    private readonly IDatabase _database;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Task<Reading>? _refresh;
    private Reading _last = Reading.None;

    public StoreGauges(IDatabase database, GatewayMetrics metrics, TimeProvider time)
    {
        _database = database;
        _time = time;
        Meter meter = metrics.Meter;
        meter.CreateObservableGauge("voxgate.tasks.queued", () => Read().Queued, description: "Asynchronous tasks waiting for a worker (all nodes)");
        meter.CreateObservableGauge("voxgate.tasks.running", () => Read().Running, description: "Asynchronous tasks being run (all nodes)");
        meter.CreateObservableGauge("voxgate.tasks.oldest_queued_age", () => Read().OldestQueuedAge, unit: "s",
            description: "How long the oldest queued task has waited (0 when none waits)");
        meter.CreateObservableGauge("voxgate.wallet.holds", () => Read().Holds, description: "Wallet holds outstanding: money set aside for requests under way (all nodes)");
        meter.CreateObservableGauge("voxgate.wallet.held", () => Read().HeldDollars, unit: "{USD}", description: "The dollars the outstanding holds set aside");
    }

    /// <summary>The task queue as the gauges last read it (at most <see cref="CacheFor"/> old): the console's engine page shows it.</summary>
    public TaskQueueReading TaskQueue
    {
        get
        {
            Reading reading = Read();
            return new TaskQueueReading(reading.Queued, reading.Running, TimeSpan.FromSeconds(reading.OldestQueuedAge), reading.At);
        }
    }

    private Reading Read()
    {
        Task<Reading> refresh;
        lock (_lock)
        {
            if (_time.GetUtcNow() - _last.At < CacheFor)
            {
                return _last;
            }
            refresh = _refresh ??= Task.Run(RefreshAsync);
        }
        // The gauges are observed one after another in one scrape: the first waits for the reading, the rest find it.
        return refresh.Wait(s_waitAtMost) && refresh.IsCompletedSuccessfully ? refresh.Result : _last;
    }

    private async Task<Reading> RefreshAsync()
    {
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            long nowMs = now.ToUnixTimeMilliseconds();
            var reading = (await Sql.QueryAsync(_database,
                """
                SELECT (SELECT COUNT(*) FROM tasks WHERE status = 'queued'),
                       (SELECT COUNT(*) FROM tasks WHERE status = 'processing'),
                       (SELECT MIN(created_at) FROM tasks WHERE status = 'queued'),
                       (SELECT COUNT(*) FROM holds WHERE expires_at > @now),
                       (SELECT COALESCE(SUM(amount_micros), 0) FROM holds WHERE expires_at > @now)
                """,
                r => new Reading(now, r.Long(0), r.Long(1), r.IsDBNull(2) ? 0 : Math.Max(0, (nowMs - r.Long(2)) / 1000.0), r.Long(3), r.Long(4) / 1_000_000.0),
                CancellationToken.None, ("@now", nowMs))).Single();
            lock (_lock)
            {
                _last = reading;
            }
            return reading;
        }
        catch
        {
            // The database is away: the last values stand (readiness reports the outage); try again next period.
            lock (_lock)
            {
                _last = _last with { At = _time.GetUtcNow() };
            }
            return _last;
        }
        finally
        {
            lock (_lock)
            {
                _refresh = null;
            }
        }
    }

    private sealed record Reading(DateTimeOffset At, long Queued, long Running, double OldestQueuedAge, long Holds, double HeldDollars)
    {
        public static Reading None { get; } = new(DateTimeOffset.MinValue, 0, 0, 0, 0, 0);
    }
}

/// <summary>Asynchronous tasks on every node: waiting for a worker, being run, and how long the oldest waiting one has waited.</summary>
public sealed record TaskQueueReading(long Queued, long Running, TimeSpan OldestQueuedAge, DateTimeOffset ReadAt);
