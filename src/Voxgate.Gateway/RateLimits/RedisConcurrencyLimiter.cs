using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

/// <summary>
/// Speech requests in flight per account, across every node. Each account's places are a sorted set in Redis of
/// request ids scored by when their lease ends (Redis's clock); one Lua script drops ended leases, counts and adds, so
/// concurrent nodes never admit past the limit. A node renews its requests' leases every third of
/// <see cref="RedisOptions.ConcurrencyLease"/> and removes a place when its request ends; the places of a node that
/// was killed end with their leases.
/// </summary>
public sealed partial class RedisConcurrencyLimiter : IConcurrencyLimiter, IDisposable
{
    // KEYS: the account's places. ARGV: the limit, the request id, the lease in ms, and 'enter' (refused at the limit)
    // or 'renew' (only a place still there: one given back since the renewal was sent stays given back, and one
    // whose lease lapsed while Redis was away is not counted again).
    private const string Script = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local limit, lease = tonumber(ARGV[1]), tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local kept
        if ARGV[4] == 'renew' then
          kept = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + lease, ARGV[2])
        elseif redis.call('ZCARD', KEYS[1]) >= limit then
          return 0
        else
          kept = redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
        end
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], lease + 1000) end
        return kept
        """;

    private readonly RedisConnection _redis;
    private readonly LocalConcurrencyLimiter _local;
    private readonly ILogger<RedisConcurrencyLimiter> _logger;
    private readonly ConcurrentDictionary<Place, byte> _held = new();
    private readonly ITimer _renewal;
    private readonly long _leaseMilliseconds;

    public RedisConcurrencyLimiter(RedisConnection redis, LocalConcurrencyLimiter local, TimeProvider time, ILogger<RedisConcurrencyLimiter> logger)
    {
        _redis = redis;
        _local = local;
        _logger = logger;
        TimeSpan lease = redis.Options.ConcurrencyLease > TimeSpan.FromMilliseconds(300) ? redis.Options.ConcurrencyLease : TimeSpan.FromMilliseconds(300);
        _leaseMilliseconds = (long)lease.TotalMilliseconds;
        _renewal = time.CreateTimer(_ => _ = RenewAsync(), null, lease / 3, lease / 3);
    }

    /// <summary>Places this node holds in Redis now.</summary>
    public int Held => _held.Count;

    public ValueTask<IDisposable?> TryEnterAsync(Caller caller, string requestId, CancellationToken cancellationToken)
    {
        if (!IConcurrencyLimiter.IsLimited(caller, out long account))
        {
            return ValueTask.FromResult<IDisposable?>(IConcurrencyLimiter.NoPlace);
        }
        var place = new Place(this, _redis.Key($"concurrency:{{account:{account}}}"), requestId, caller.ConcurrentRequests);
        return _redis.RunAsync<IDisposable?>(
            async database =>
            {
                if ((long)await database.ScriptEvaluateAsync(Script, [place.Key], place.Arguments("enter", _leaseMilliseconds)) == 0)
                {
                    return null;
                }
                _held[place] = 0;
                return place;
            },
            () => _local.TryEnter(caller));
    }

    public void Dispose() => _renewal.Dispose();

    private async Task RenewAsync()
    {
        Place[] held = [.. _held.Keys];
        if (held.Length == 0)
        {
            return;
        }
        try
        {
            await _redis.SendAsync(database => Task.WhenAll(held.Select(place =>
                database.ScriptEvaluateAsync(Script, [place.Key], place.Arguments("renew", _leaseMilliseconds)))));
        }
        catch (Exception ex)
        {
            LogRenewalFailed(_logger, ex, held.Length);
        }
    }

    private void Leave(Place place)
    {
        if (_held.TryRemove(place, out _))
        {
            _ = _redis.SendAsync(database => database.SortedSetRemoveAsync(place.Key, place.RequestId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing {Count} concurrency places in Redis failed")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, int count);

    private sealed class Place(RedisConcurrencyLimiter owner, RedisKey key, string requestId, int limit) : IDisposable
    {
        public RedisKey Key { get; } = key;

        public string RequestId { get; } = requestId;

        public RedisValue[] Arguments(string mode, long leaseMilliseconds) => [limit, RequestId, leaseMilliseconds, mode];

        public void Dispose() => owner.Leave(this);
    }
}
