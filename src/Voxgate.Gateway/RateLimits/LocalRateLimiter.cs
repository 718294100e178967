using System.Collections.Concurrent;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

/// <summary>
/// Requests and characters per minute, per API key, in this process's memory: the limits of a single node, and what
/// a node falls back to when the shared limits cannot be reached (<see cref="RedisOptions.WhenUnreachable"/>). Time
/// comes from <see cref="TimeProvider"/>, so tests are exact.
/// </summary>
public sealed class LocalRateLimiter(TimeProvider time) : IRateLimiter
{
    private readonly ConcurrentDictionary<string, Buckets> _buckets = new();

    public ValueTask<RateLimitDecision> AcquireAsync(Caller caller, int characters, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Acquire(caller, characters));

    public ValueTask<RateLimitDecision> TakeCharactersAsync(Caller caller, int characters, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TakeCharacters(caller, characters));

    public RateLimitDecision Acquire(Caller caller, int characters) => Spend(caller, 1, characters);

    public RateLimitDecision TakeCharacters(Caller caller, int characters) => Spend(caller, 0, characters);

    /// <summary>Spends <paramref name="requests"/> (one, or none for more text of a request already counted) and the characters, or nothing.</summary>
    internal RateLimitDecision Spend(Caller caller, int requests, int characters)
    {
        if (caller.Kind != CallerKind.Key)
        {
            return RateLimitDecision.Unlimited;
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
            else if (buckets.Requests.WaitFor(requests) is { Ticks: > 0 } requestWait)
            {
                (exceeded, retryAfter) = (RateLimitDimension.Requests, requestWait);
            }
            else if (buckets.Characters.WaitFor(characters) is { Ticks: > 0 } characterWait)
            {
                (exceeded, retryAfter) = (RateLimitDimension.Characters, characterWait);
            }
            else
            {
                buckets.Requests.Take(requests);
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
