using System.Net;
using System.Text.Json;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// A node whose limits live in Redis while Redis goes away and comes back: it never crashes, answers in each API's
/// own format as configured (fail closed: 503 / MiniMax 1001; fail open: served under its own limits), says so in
/// <c>/readyz</c>, and recovers by itself.
/// </summary>
public class LimitsOutageTests
{
    private sealed class RedisNodeFactory(string redis, string whenUnreachable) : VoxgateFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("Voxgate:Redis:Configuration", redis),
            new("Voxgate:Redis:KeyPrefix", RedisServer.NewPrefix()),
            new("Voxgate:Redis:WhenUnreachable", whenUnreachable),
        ];
    }

    private static readonly object s_speech = new { model = "tts-1", input = "Hello there.", voice = "flite:kal16", response_format = "pcm" };

    private static object MiniMaxSpeech => new
    {
        model = "speech-02-hd", text = "Hello there.", voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "mp3" },
    };

    [Fact]
    public async Task FailingClosedRefusesInEachApisFormatUntilRedisReturns()
    {
        using RedisServer redis = await RedisServer.StartNewAsync();
        using var factory = new RedisNodeFactory(redis.Address, "closed");
        HttpClient client = factory.CreateClient();
        var minimax = new MiniMaxApi(factory.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await client.PostSpeechAsync(s_speech)).StatusCode);
        JsonElement ready = await (await client.GetAsync("/readyz")).JsonAsync();
        Assert.Equal("cluster", ready.GetProperty("limits").GetProperty("scope").GetString());

        redis.Stop();

        using HttpResponseMessage refused = await client.PostSpeechAsync(s_speech);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        JsonElement error = await refused.ErrorAsync();
        Assert.Equal("rate_limiter_unavailable", error.GetProperty("code").GetString());
        Assert.Contains("nothing was charged", error.GetProperty("message").GetString());

        JsonElement answer = await minimax.PostAsync("t2a_v2", MiniMaxSpeech);
        Assert.Equal(1001, MiniMaxApi.StatusCode(answer));

        using HttpResponseMessage notReady = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        JsonElement limits = (await notReady.JsonAsync()).GetProperty("limits");
        Assert.False(limits.GetProperty("reachable").GetBoolean());
        Assert.Equal("closed", limits.GetProperty("when_unreachable").GetString());
        Assert.False(string.IsNullOrEmpty(limits.GetProperty("problem").GetString()));

        await redis.StartAsync();

        await Eventually.HoldsAsync(async () => (await client.PostSpeechAsync(s_speech)).StatusCode == HttpStatusCode.OK, "speech is served again once Redis is back");
        MiniMaxApi.Ok(await minimax.PostAsync("t2a_v2", MiniMaxSpeech));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        // The refusals were counted as such (both surfaces', at least), and nothing was charged for them.
        await factory.Service<RefusalCounter>().FlushAsync();
        IReadOnlyList<RefusalTotal> refusals = await factory.Service<IUsageStore>().RefusalsAsync(
            await factory.AccountIdAsync(VoxgateFactory.AccountName), DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        Assert.True(refusals.Single(r => r.Status == UsageStatus.LimitsUnavailable).Count >= 2, string.Join(", ", refusals));
        Assert.All(await factory.UsageRowsAsync(VoxgateFactory.AccountName), row => Assert.Equal(UsageStatus.Succeeded, row.Status));
        Assert.Equal(3, (await factory.ChargesAsync(VoxgateFactory.AccountName)).Count); // before, on recovery, MiniMax on recovery
        await factory.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task FailingOpenServesUnderTheNodesOwnLimitsAndSaysSo()
    {
        using RedisServer redis = await RedisServer.StartNewAsync();
        using var factory = new RedisNodeFactory(redis.Address, "open");
        HttpClient client = factory.CreateClient();
        redis.Stop();

        Assert.Equal(HttpStatusCode.OK, (await client.PostSpeechAsync(s_speech)).StatusCode);
        MiniMaxApi.Ok(await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2", MiniMaxSpeech));
        using HttpResponseMessage ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        JsonElement limits = (await ready.JsonAsync()).GetProperty("limits");
        Assert.Equal("node", limits.GetProperty("scope").GetString());
        Assert.False(limits.GetProperty("reachable").GetBoolean());

        await redis.StartAsync();
        await Eventually.HoldsAsync(async () =>
            (await (await client.GetAsync("/readyz")).JsonAsync()).GetProperty("limits").GetProperty("scope").GetString() == "cluster",
            "the node shares its limits again once Redis is back");
    }
}
