using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Voxgate.Gateway.Saturation;

/// <summary>
/// One bounded queue per engine: a request waits for a slot only while the queue has room, and is refused at once
/// when it is full, so load beyond capacity is never queued without bound.
/// </summary>
public sealed class EngineAdmission(IOptions<SaturationOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _limiters = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan RetryAfter => TimeSpan.FromSeconds(options.Value.RetryAfterSeconds);

    /// <summary>A slot for <paramref name="capacity"/>, or null when its queue is full.</summary>
    public async ValueTask<IDisposable?> TryEnterAsync(string capacity, CancellationToken cancellationToken)
    {
        ConcurrencyLimiter limiter = _limiters.GetOrAdd(capacity, Create);
        RateLimitLease lease = await limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        return null;
    }

    public void Dispose()
    {
        foreach (ConcurrencyLimiter limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private ConcurrencyLimiter Create(string capacity)
    {
        CapacityOptions settings = options.Value.Engines.GetValueOrDefault(capacity) ?? options.Value.Default;
        return new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrent > 0 ? settings.MaxConcurrent : Environment.ProcessorCount,
            QueueLimit = Math.Max(0, settings.MaxQueued),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }
}
