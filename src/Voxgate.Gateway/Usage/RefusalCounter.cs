using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Metrics;

namespace Voxgate.Gateway.Usage;

/// <summary>
/// Counts refused requests in memory, per minute, account, key, model and reason, and adds the counts to the store
/// in one transaction every few seconds. A flood of refusals therefore costs one small write per interval and one row
/// per combination and minute, never a row per request. Counts not yet flushed when the process is killed are lost:
/// they are statistics, never money. Each refusal is also counted on the meter at once (by kind only), so
/// <c>/metrics</c> sees it before the flush.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim used only through WaitAsync and Release never creates a wait handle, so Dispose has nothing to free")]
public sealed class RefusalCounter(IUsageStore store, TimeProvider time, GatewayMetrics metrics)
{
    private readonly Lock _countLock = new();
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private Dictionary<RefusalKey, long> _pending = [];

    public void Count(Caller? caller, string? model, string status)
    {
        var key = new RefusalKey(time.GetUtcNow().ToUnixTimeMilliseconds() / 60_000, caller?.AccountId ?? 0, caller?.KeyId ?? 0, model ?? "", status);
        lock (_countLock)
        {
            _pending[key] = _pending.GetValueOrDefault(key) + 1;
        }
        metrics.Refused(status);
    }

    /// <summary>Writes what has been counted so far (readers call it first, so reports are current).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushLock.WaitAsync(cancellationToken);
        try
        {
            Dictionary<RefusalKey, long> counted;
            lock (_countLock)
            {
                (counted, _pending) = (_pending, []);
            }
            if (counted.Count == 0)
            {
                return;
            }
            try
            {
                await store.AddRefusalsAsync(counted, cancellationToken);
            }
            catch
            {
                // Put the counts back for the next attempt (a busy database), then let the caller see the failure.
                lock (_countLock)
                {
                    foreach ((RefusalKey key, long count) in counted)
                    {
                        _pending[key] = _pending.GetValueOrDefault(key) + count;
                    }
                }
                throw;
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }
}

/// <summary>Flushes the <see cref="RefusalCounter"/> every <see cref="Interval"/> and when the server stops.</summary>
public sealed partial class RefusalFlusher(RefusalCounter counter, TimeProvider time, ILogger<RefusalFlusher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, stoppingToken);
                await FlushLoggedAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        await FlushLoggedAsync();
    }

    private async Task FlushLoggedAsync()
    {
        try
        {
            await counter.FlushAsync();
        }
        catch (Exception ex)
        {
            LogFlushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record refusal counts; they are kept for the next attempt")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
