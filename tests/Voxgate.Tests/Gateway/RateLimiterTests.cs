using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.RateLimits;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

public class RateLimiterTests
{
    private static Caller Key(long id, int rpm, int cpm) => new(CallerKind.Key, 1, "acme", id, "sk-vg-xxxxxx", KeyScopes.Speech, rpm, cpm);

    [Fact]
    public void RequestsPerMinuteRefillContinuously()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var limiter = new LocalRateLimiter(clock);
        Caller caller = Key(1, rpm: 3, cpm: 1_000);
        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(limiter.Acquire(caller, 10).Allowed));
        RateLimitDecision refused = limiter.Acquire(caller, 10);
        Assert.Equal(RateLimitDimension.Requests, refused.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(20), refused.RetryAfter); // one request every 60/3 s
        Assert.Equal(0, refused.Requests.Remaining);

        clock.Advance(TimeSpan.FromSeconds(19.9));
        Assert.False(limiter.Acquire(caller, 10).Allowed);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(limiter.Acquire(caller, 10).Allowed);
    }

    [Fact]
    public void CharactersPerMinuteCountTheTextAndARefusalSpendsNothing()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var limiter = new LocalRateLimiter(clock);
        Caller caller = Key(2, rpm: 100, cpm: 600);
        Assert.True(limiter.Acquire(caller, 500).Allowed);
        RateLimitDecision refused = limiter.Acquire(caller, 200);
        Assert.Equal(RateLimitDimension.Characters, refused.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(10), refused.RetryAfter); // 100 more characters at 10 per second
        Assert.Equal(99, refused.Requests.Remaining); // the refused request did not count
        Assert.True(limiter.Acquire(caller, 100).Allowed);
    }

    [Fact]
    public void ARequestLargerThanTheLimitCanNeverPass()
    {
        var limiter = new LocalRateLimiter(new ManualClock(DateTimeOffset.UnixEpoch));
        RateLimitDecision refused = limiter.Acquire(Key(3, 10, 100), 101);
        Assert.Equal(RateLimitDimension.Characters, refused.Exceeded);
        Assert.Equal(TimeSpan.MaxValue, refused.RetryAfter);
    }

    [Fact]
    public void KeysHaveTheirOwnBucketsAndUnmeteredCallersNone()
    {
        var limiter = new LocalRateLimiter(new ManualClock(DateTimeOffset.UnixEpoch));
        Assert.True(limiter.Acquire(Key(4, 1, 100), 1).Allowed);
        Assert.False(limiter.Acquire(Key(4, 1, 100), 1).Allowed);
        Assert.True(limiter.Acquire(Key(5, 1, 100), 1).Allowed);
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(limiter.Acquire(Caller.Anonymous, 5000).Allowed));
    }

    [Fact]
    public void ALoweredLimitTakesEffectAtOnce()
    {
        var limiter = new LocalRateLimiter(new ManualClock(DateTimeOffset.UnixEpoch));
        Assert.True(limiter.Acquire(Key(6, 100, 10_000), 100).Allowed);
        RateLimitDecision lowered = limiter.Acquire(Key(6, 100, 150), 100);
        Assert.False(lowered.Allowed);
        Assert.Equal(150, lowered.Characters.Limit);
    }

    [Fact]
    public void TakingCharactersSpendsNoRequestAndARefusalSpendsNothing()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var limiter = new LocalRateLimiter(clock);
        Caller caller = Key(7, rpm: 1, cpm: 600);
        Assert.True(limiter.Acquire(caller, 100).Allowed); // the request, with its first characters
        RateLimitDecision taken = limiter.TakeCharacters(caller, 400); // more text of it: no request is needed, none is left
        Assert.True(taken.Allowed);
        Assert.Equal((0, 100), (taken.Requests.Remaining, taken.Characters.Remaining));

        RateLimitDecision refused = limiter.TakeCharacters(caller, 200);
        Assert.Equal(RateLimitDimension.Characters, refused.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(10), refused.RetryAfter); // 100 more characters at 10 per second
        Assert.Equal(TimeSpan.MaxValue, limiter.TakeCharacters(caller, 601).RetryAfter); // never
        Assert.True(limiter.TakeCharacters(caller, 100).Allowed); // the refusals spent nothing
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TakeCharacters(caller, 100).Allowed);
        Assert.True(limiter.TakeCharacters(Caller.Anonymous, 100_000).Allowed);
    }
}
