using StackExchange.Redis;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

/// <summary>
/// Requests and characters per minute, per API key, across every node: the same continuously refilling buckets as
/// <see cref="LocalRateLimiter"/>, kept in Redis and spent by one Lua script, so that checking and spending are one
/// atomic step however many nodes ask at once, on Redis's clock (the nodes' clocks never enter into it).
/// </summary>
public sealed class RedisRateLimiter(RedisConnection redis, LocalRateLimiter local) : IRateLimiter
{
    // KEYS: the key's request bucket, its character bucket (hashes: tokens, capacity, updated in ms).
    // ARGV: requests per minute, characters per minute, the characters to spend, the requests to spend (1, or 0 for
    //       more text of a request already counted).
    // Returns {exceeded (0 none, 1 requests, 2 characters, 3 larger than the character limit), wait ms,
    //          requests left, characters left, ms until the request bucket is full, ms until the character bucket is}.
    // Lua numbers come back from scripts as integers, hence the rounding here and milliseconds throughout.
    private const string Script = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local minute = 60000
        local function refill(key, capacity)
          local state = redis.call('HMGET', key, 'tokens', 'capacity', 'updated')
          local tokens, was, updated = tonumber(state[1]), tonumber(state[2]), tonumber(state[3])
          if tokens == nil then return capacity end
          if was ~= capacity then tokens = math.max(0, capacity - (was - tokens)) end
          return math.min(capacity, tokens + math.max(0, now - updated) * capacity / minute)
        end
        local function store(key, tokens, capacity)
          redis.call('HSET', key, 'tokens', tostring(tokens), 'capacity', capacity, 'updated', now)
          redis.call('PEXPIRE', key, minute + 1000)
        end
        local rpm, cpm, characters, wanted = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local requests = refill(KEYS[1], rpm)
        local chars = refill(KEYS[2], cpm)
        local exceeded, wait = 0, 0
        if characters > cpm then
          exceeded = 3
        elseif requests < wanted then
          exceeded, wait = 1, (wanted - requests) * minute / rpm
        elseif chars < characters then
          exceeded, wait = 2, (characters - chars) * minute / cpm
        else
          requests, chars = requests - wanted, chars - characters
        end
        store(KEYS[1], requests, rpm)
        store(KEYS[2], chars, cpm)
        return {exceeded, math.ceil(wait), math.floor(requests), math.floor(chars),
                math.ceil((rpm - requests) * minute / rpm), math.ceil((cpm - chars) * minute / cpm)}
        """;

    public ValueTask<RateLimitDecision> AcquireAsync(Caller caller, int characters, CancellationToken cancellationToken) =>
        SpendAsync(caller, 1, characters);

    public ValueTask<RateLimitDecision> TakeCharactersAsync(Caller caller, int characters, CancellationToken cancellationToken) =>
        SpendAsync(caller, 0, characters);

    private ValueTask<RateLimitDecision> SpendAsync(Caller caller, int requests, int characters)
    {
        if (caller.Kind != CallerKind.Key)
        {
            return ValueTask.FromResult(RateLimitDecision.Unlimited);
        }
        // A hash tag keeps a key's two buckets in one slot of a Redis Cluster, as one script must.
        string identity = "{" + caller.RateLimitIdentity + "}";
        RedisKey[] keys = [redis.Key($"rate:{identity}:requests"), redis.Key($"rate:{identity}:characters")];
        RedisValue[] arguments = [caller.RequestsPerMinute, caller.CharactersPerMinute, characters, requests];
        return redis.RunAsync(
            async database => Decide(caller, (long[])(await database.ScriptEvaluateAsync(Script, keys, arguments))!),
            () => local.Spend(caller, requests, characters));
    }

    private static RateLimitDecision Decide(Caller caller, long[] answer)
    {
        var requests = new RateLimitState(caller.RequestsPerMinute, (int)answer[2], TimeSpan.FromMilliseconds(answer[4]));
        var characters = new RateLimitState(caller.CharactersPerMinute, (int)answer[3], TimeSpan.FromMilliseconds(answer[5]));
        return answer[0] switch
        {
            0 => new RateLimitDecision(null, TimeSpan.Zero, requests, characters),
            1 => new RateLimitDecision(RateLimitDimension.Requests, TimeSpan.FromMilliseconds(answer[1]), requests, characters),
            2 => new RateLimitDecision(RateLimitDimension.Characters, TimeSpan.FromMilliseconds(answer[1]), requests, characters),
            _ => new RateLimitDecision(RateLimitDimension.Characters, TimeSpan.MaxValue, requests, characters),
        };
    }
}
