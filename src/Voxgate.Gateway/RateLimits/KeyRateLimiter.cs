using System.Collections.Concurrent;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

public enum RateLimitDimension
{
    Requests,
    Characters,
}

/// <summary>Where a caller stands against one limit after a request.</summary>
public readonly record struct RateLimitState(int Limit, int Remaining, TimeSpan ResetAfter);

/// <summary>The verdict on one request against both of its caller's limits.</summary>
/// <param name="Exceeded">The limit that refused the request, when one did.</param>
/// <param name="RetryAfter">When the request would fit; <see cref="TimeSpan.MaxValue"/> if it never can (larger than the limit itself).</param>
public sealed record RateLimitDecision(RateLimitDimension? Exceeded, TimeSpan RetryAfter, RateLimitState Requests, RateLimitState Characters)
{
    public bool Allowed => Exceeded is null;
}

/// <summary>
/// Requests and characters per minute, per API key, in memory. Both limits are checked before either is spent, so
/// a refused request costs nothing. Time comes from <see cref="TimeProvider"/>, so tests are exact.
/// </summary>
public sealed class KeyRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Buckets> _buckets = new();

    public RateLimitDecision Acquire(Caller caller, int characters)
    {
        if (caller.Kind != CallerKind.Key)
        {
            var unlimited = new RateLimitState(int.MaxValue, int.MaxValue, TimeSpan.Zero);
            return new RateLimitDecision(null, TimeSpan.Zero, unlimited, unlimited);
        }
        DateTimeOffset now = time.GetUtcNow();
        Buckets buckets = _buckets.GetOrAdd(caller.RateLimitIdentity, _ => new Buckets(caller, now));
        lock (buckets)
        {
            buckets.Requests.Refill(now, caller.RequestsPerMinute);
            buckets.Characters.Refill(now, caller.CharactersPerMinute);
            RateLimitDimension? exceeded = null;
            TimeSpan retryAfter = TimeSpan.Zero;
            if (characters > buckets.Characters.Capacity)
            {
                (exceeded, retryAfter) = (RateLimitDimension.Characters, TimeSpan.MaxValue);
            }
            else if (buckets.Requests.WaitFor(1) is { Ticks: > 0 } requestWait)
            {
                (exceeded, retryAfter) = (RateLimitDimension.Requests, requestWait);
            }
            else if (buckets.Characters.WaitFor(characters) is { Ticks: > 0 } characterWait)
            {
                (exceeded, retryAfter) = (RateLimitDimension.Characters, characterWait);
            }
            else
            {
                buckets.Requests.Take(1);
                buckets.Characters.Take(characters);
            }
            return new RateLimitDecision(exceeded, retryAfter, State(buckets.Requests), State(buckets.Characters));
        }
    }

    private static RateLimitState State(TokenBucket bucket) => new(bucket.Capacity, Math.Max(0, bucket.Remaining), bucket.UntilFull);

    private sealed class Buckets(Caller caller, DateTimeOffset now)
    {
        public TokenBucket Requests { get; } = new(caller.RequestsPerMinute, now);
        public TokenBucket Characters { get; } = new(caller.CharactersPerMinute, now);
    }
}
