using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.RateLimits;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

/// <summary>
/// The limits every node shares through a real Redis: two <see cref="Node"/>s here are two processes' worth of
/// limiters (each its own connection), as several nodes of a deployment would be.
/// </summary>
public class SharedLimitsTests
{
    private static Caller Key(long id, int rpm, int cpm, int concurrent = 8) =>
        new(CallerKind.Key, id, "acme", id, "sk-vg-xxxxxx", KeyScopes.Speech, rpm, cpm) { ConcurrentRequests = concurrent };

    private sealed class Node : IAsyncDisposable
    {
        public Node(string redis, string prefix, RedisFailureMode whenUnreachable = RedisFailureMode.Open, TimeSpan? lease = null)
        {
            var options = Options.Create(new RedisOptions
            {
                Configuration = redis, KeyPrefix = prefix, WhenUnreachable = whenUnreachable, ConcurrencyLease = lease ?? TimeSpan.FromSeconds(30),
            });
            Connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance);
            Local = new LocalRateLimiter(TimeProvider.System);
            RateLimiter = new RedisRateLimiter(Connection, Local);
            Concurrency = new RedisConcurrencyLimiter(Connection, new LocalConcurrencyLimiter(), TimeProvider.System, NullLogger<RedisConcurrencyLimiter>.Instance);
        }

        public RedisConnection Connection { get; }

        public LocalRateLimiter Local { get; }

        public RedisRateLimiter RateLimiter { get; }

        public RedisConcurrencyLimiter Concurrency { get; }

        public Task<RateLimitDecision> AcquireAsync(Caller caller, int characters) => RateLimiter.AcquireAsync(caller, characters, default).AsTask();

        public Task<IDisposable?> EnterAsync(Caller caller, string requestId) => Concurrency.TryEnterAsync(caller, requestId, default).AsTask();

        /// <summary>As a killed process: its renewals stop and its connection goes, and nothing is given back.</summary>
        public async ValueTask DisposeAsync()
        {
            Concurrency.Dispose();
            await Connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task RequestsPerMinuteAreSpentOnceAcrossNodes()
    {
        RedisServer redis = await RedisServer.SharedAsync();
        string prefix = RedisServer.NewPrefix();
        await using var a = new Node(redis.Address, prefix);
        await using var b = new Node(redis.Address, prefix);
        Caller caller = Key(1, rpm: 4, cpm: 10_000);

        // Twenty requests at once, half on each node: exactly four pass.
        RateLimitDecision[] decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).AcquireAsync(caller, 10)));

        Assert.Equal(4, decisions.Count(d => d.Allowed));
        RateLimitDecision refused = decisions.First(d => !d.Allowed);
        Assert.Equal(RateLimitDimension.Requests, refused.Exceeded);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(15)); // one request every 15 s
        Assert.Equal(0, refused.Requests.Remaining);
        Assert.Equal(4, refused.Requests.Limit);
        Assert.Null(a.Connection.Problem);
    }

    [Fact]
    public async Task CharactersAreCountedAcrossNodesAndARefusalSpendsNothing()
    {
        RedisServer redis = await RedisServer.SharedAsync();
        string prefix = RedisServer.NewPrefix();
        await using var a = new Node(redis.Address, prefix);
        await using var b = new Node(redis.Address, prefix);
        // Three requests a minute: one comes back every 20 s, so the count below cannot be refilled while the test runs.
        Caller caller = Key(2, rpm: 3, cpm: 600);

        var elapsed = Stopwatch.StartNew();
        Assert.True((await a.AcquireAsync(caller, 500)).Allowed);
        RateLimitDecision refused = await b.AcquireAsync(caller, 200);
        TimeSpan since = elapsed.Elapsed;
        Assert.Equal(RateLimitDimension.Characters, refused.Exceeded);
        AssertRetryAfter(refused, missing: 100, since);
        Assert.Equal(2, refused.Requests.Remaining); // the refused request did not count
        Assert.True((await b.AcquireAsync(caller, 99)).Allowed);

        RateLimitDecision never = await a.AcquireAsync(caller, 601);
        Assert.Equal(TimeSpan.MaxValue, never.RetryAfter);
    }

    [Fact]
    public async Task TakingCharactersSpendsNoRequestAcrossNodesAndARefusalSpendsNothing()
    {
        RedisServer redis = await RedisServer.SharedAsync();
        string prefix = RedisServer.NewPrefix();
        await using var a = new Node(redis.Address, prefix);
        await using var b = new Node(redis.Address, prefix);
        Caller caller = Key(6, rpm: 1, cpm: 600);

        // Characters come back at 10 a second: the bounds below allow for what came back while the test ran, measured.
        var elapsed = Stopwatch.StartNew();
        Assert.True((await a.AcquireAsync(caller, 100)).Allowed); // the request, with its first characters
        RateLimitDecision taken = await b.RateLimiter.TakeCharactersAsync(caller, 400, default); // more text of it: no request is needed
        Assert.True(taken.Allowed);
        Assert.Equal(0, taken.Requests.Remaining);
        Assert.InRange(taken.Characters.Remaining, 100, 100 + RefilledCharacters(elapsed.Elapsed));

        RateLimitDecision refused = await a.RateLimiter.TakeCharactersAsync(caller, 300, default);
        TimeSpan since = elapsed.Elapsed;
        Assert.Equal(RateLimitDimension.Characters, refused.Exceeded);
        AssertRetryAfter(refused, missing: 200, since);
        Assert.Equal(TimeSpan.MaxValue, (await b.RateLimiter.TakeCharactersAsync(caller, 601, default)).RetryAfter); // never
        Assert.True((await b.RateLimiter.TakeCharactersAsync(caller, 100, default)).Allowed); // the refusals spent nothing
        Assert.Null(a.Connection.Problem);
    }

    /// <summary>How fast the 600-characters-a-minute keys of these tests get characters back.</summary>
    private const int CharactersPerSecond = 10;

    /// <summary>Characters such a key gets back in <paramref name="time"/>, rounded up.</summary>
    private static int RefilledCharacters(TimeSpan time) => (int)Math.Ceiling(time.TotalSeconds * CharactersPerSecond);

    /// <summary>
    /// A refusal for <paramref name="missing"/> characters asks to wait for them at the key's rate, less what came back
    /// in the <paramref name="since"/> the test measured around its calls (and 100 ms for the store's rounding).
    /// </summary>
    private static void AssertRetryAfter(RateLimitDecision refused, int missing, TimeSpan since)
    {
        TimeSpan full = TimeSpan.FromSeconds((double)missing / CharactersPerSecond);
        Assert.InRange(refused.RetryAfter, full - since - TimeSpan.FromMilliseconds(100), full);
    }

    [Fact]
    public async Task KeysHaveTheirOwnBucketsAndALoweredLimitHoldsAtOnce()
    {
        RedisServer redis = await RedisServer.SharedAsync();
        string prefix = RedisServer.NewPrefix();
        await using var a = new Node(redis.Address, prefix);
        await using var b = new Node(redis.Address, prefix);

        Assert.True((await a.AcquireAsync(Key(3, 1, 100), 1)).Allowed);
        Assert.False((await b.AcquireAsync(Key(3, 1, 100), 1)).Allowed);
        Assert.True((await b.AcquireAsync(Key(4, 1, 100), 1)).Allowed);

        Assert.True((await a.AcquireAsync(Key(5, 100, 10_000), 100)).Allowed);
        RateLimitDecision lowered = await b.AcquireAsync(Key(5, 100, 150), 100);
        Assert.False(lowered.Allowed);
        Assert.Equal(150, lowered.Characters.Limit);
    }

    [Fact]
    public async Task AnAccountsRequestsInFlightAreCountedAcrossNodes()
    {
        RedisServer redis = await RedisServer.SharedAsync();
        string prefix = RedisServer.NewPrefix();
        await using var a = new Node(redis.Address, prefix);
        await using var b = new Node(redis.Address, prefix);
        Caller caller = Key(6, 100, 10_000, concurrent: 3);

        IDisposable?[] places = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).EnterAsync(caller, $"req_{i}")));
        Assert.Equal(3, places.Count(p => p is not null));
        Assert.Null(await b.EnterAsync(caller, "req_more"));

        // Another account is not affected.
        Assert.NotNull(await a.EnterAsync(Key(7, 100, 10_000, concurrent: 1), "req_other"));

        // A place given back on one node is free on the other.
        places.First(p => p is not null)!.Dispose();
        IDisposable? next = null;
        await Eventually.HoldsAsync(async () => (next = await b.EnterAsync(caller, "req_next")) is not null, "a given-back place was taken on the other node");
        Assert.Null(await a.EnterAsync(caller, "req_over"));
    }

    [Fact]
    public async Task AKilledNodesPlacesEndWithTheirLeaseAndALiveNodeKeepsItsOwn()
    {
        RedisServer redis = await RedisServer.SharedAsync();
        string prefix = RedisServer.NewPrefix();
        TimeSpan lease = TimeSpan.FromSeconds(3);
        await using var survivor = new Node(redis.Address, prefix, lease: lease);
        var killed = new Node(redis.Address, prefix, lease: lease);
        Caller caller = Key(8, 100, 10_000, concurrent: 2);

        Assert.NotNull(await survivor.EnterAsync(caller, "req_live"));
        Assert.NotNull(await killed.EnterAsync(caller, "req_dead"));
        Assert.Null(await survivor.EnterAsync(caller, "req_refused"));
        await killed.DisposeAsync(); // no release: as SIGKILL

        // On Redis's clock, once two leases have passed the dead node's place is gone while the live one, renewed
        // every second, still counts: exactly one more place is free.
        DateTimeOffset from = await redis.TimeAsync();
        await Eventually.HoldsAsync(async () => await redis.TimeAsync() - from > lease * 2, "two leases passed on Redis's clock");
        Assert.NotNull(await survivor.EnterAsync(caller, "req_after"));
        Assert.Null(await survivor.EnterAsync(caller, "req_still_refused"));
        Assert.Equal(2, survivor.Concurrency.Held);
    }

    [Fact]
    public async Task WhenRedisIsAwayLimitsFallOpenToTheNodesOwnOrClosedAsConfiguredAndReturnWithIt()
    {
        using RedisServer redis = await RedisServer.StartNewAsync();
        string prefix = RedisServer.NewPrefix();
        await using var open = new Node(redis.Address, prefix, RedisFailureMode.Open);
        await using var closed = new Node(redis.Address, prefix, RedisFailureMode.Closed);
        Caller caller = Key(9, rpm: 2, cpm: 10_000, concurrent: 1);
        Assert.True((await open.AcquireAsync(caller, 1)).Allowed);

        redis.Stop();

        // Open: the node's own limits, which count from nothing (the shared bucket is out of reach).
        Assert.True((await open.AcquireAsync(caller, 1)).Allowed);
        Assert.True((await open.AcquireAsync(caller, 1)).Allowed);
        Assert.False((await open.AcquireAsync(caller, 1)).Allowed);
        Assert.NotNull(open.Connection.Problem);
        IDisposable? local = await open.EnterAsync(caller, "req_local");
        Assert.NotNull(local);
        Assert.Null(await open.EnterAsync(caller, "req_local_over"));
        local!.Dispose();

        // Closed: refused, with a reason and a time to retry.
        GatewayException refused = await Assert.ThrowsAsync<GatewayException>(() => closed.AcquireAsync(caller, 1));
        Assert.Equal(GatewayRefusal.LimitsUnavailable, refused.Refusal);
        Assert.NotNull(refused.RetryAfter);
        Assert.Equal(GatewayRefusal.LimitsUnavailable, (await Assert.ThrowsAsync<GatewayException>(() => closed.EnterAsync(caller, "req_closed"))).Refusal);

        await redis.StartAsync();

        // Back: the shared bucket again (one request of two left from before the outage), and the problem is cleared.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await closed.AcquireAsync(caller, 1)).Allowed;
            }
            catch (GatewayException)
            {
                return false;
            }
        }, "the closed node admits again once Redis is back");
        Assert.Null(closed.Connection.Problem);
        await Eventually.HoldsAsync(async () => await open.Connection.ProbeAsync() is null, "the open node reaches Redis again");

        // Redis restarted empty, with a full bucket of 2: the closed node spent one. The open node spends the other,
        // though its own bucket is empty (so it is the shared one again), and then the shared bucket refuses.
        Assert.True((await open.AcquireAsync(caller, 1)).Allowed);
        Assert.False((await closed.AcquireAsync(caller, 1)).Allowed);
    }
}
