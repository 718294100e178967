using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>One Flite computation at a time, a short queue, and readers never dropped for slowness.</summary>
public sealed class OneFliteTurnServer : ServerProcess
{
    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Saturation__Engines__flite__MaxConcurrent", "1"),
        new("Voxgate__Saturation__Engines__flite__MaxQueued", "4"),
        new("Voxgate__Streaming__ReaderGracePeriod", "00:30:00"),
    ];
}

public class SlowReaderTests(OneFliteTurnServer server) : IClassFixture<OneFliteTurnServer>
{
    [Fact]
    public async Task TwoStalledReadersDoNotStopTheEngineForAnyoneElse()
    {
        string stallers = await server.CreateFundedKeyAsync("stallers", "10.00");
        string others = await server.CreateFundedKeyAsync("others", "10.00");
        await using StalledReader first = await StalledReader.StartAsync(server.BaseAddress, stallers, seed: 1);
        await using StalledReader second = await StalledReader.StartAsync(server.BaseAddress, stallers, seed: 2);

        // Before, each stalled reader kept the only Flite slot until it had read everything: these waited forever.
        using HttpClient client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(120) }.WithKey(others);
        foreach (string text in new[] { "A short request.", "Another one.", "And a third." })
        {
            HttpResponseMessage spoken = await client.PostSpeechAsync(new { model = "tts-1", input = text, voice = "flite:kal16", response_format = "mp3" });
            Assert.Equal(HttpStatusCode.OK, spoken.StatusCode);
            Assert.NotEmpty(await spoken.Content.ReadAsByteArrayAsync());
        }
        var minimax = new MiniMaxApi(client);
        JsonElement answer = MiniMaxApi.Ok(await minimax.PostAsync("t2a_v2", new
        {
            model = "speech-02-hd", text = "MiniMax clients too.", voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "mp3" },
        }));
        Assert.NotEmpty(answer.GetProperty("data").GetProperty("audio").GetString()!);

        // Nothing was lost for the stalled readers: each still gets its whole stream (far more than socket buffers
        // hold, so they really had stalled), and is charged for all of it.
        foreach (StalledReader reader in new[] { first, second })
        {
            long bytes = await reader.ReadToEndAsync();
            Assert.True(bytes > 20_000_000, $"{bytes} bytes");
        }
        await Eventually.HoldsAsync(async () => (await server.WalletAsync(stallers)).GetProperty("held_micros").GetInt64() == 0, "the holds are released");
        JsonElement usage = await server.UsageAsync(stallers);
        Assert.Equal((2, 8000), (usage.GetProperty("total").GetProperty("requests").GetInt32(), usage.GetProperty("total").GetProperty("characters").GetInt32()));
        Assert.Empty(await server.AuditFindingsAsync());
    }

    [Fact]
    public async Task AnAccountMayHaveOnlyItsLimitOfRequestsInFlight()
    {
        using HttpClient admin = server.AdminClient();
        Assert.True((await admin.PostAsync("admin/accounts", HttpJson.Body(new { name = "pair", concurrent_requests = 2 }))).IsSuccessStatusCode);
        string key = await server.CreateFundedKeyAsync("pair", "10.00");
        StalledReader first = await StalledReader.StartAsync(server.BaseAddress, key, seed: 3);
        await using StalledReader second = await StalledReader.StartAsync(server.BaseAddress, key, seed: 4);

        using HttpClient client = new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key);
        HttpResponseMessage third = await client.PostSpeechAsync(new { model = "tts-1", input = "One too many.", voice = "flite:kal16" });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        JsonElement error = await third.ErrorAsync();
        Assert.Equal("concurrent_requests_exceeded", error.GetProperty("code").GetString());
        Assert.True(third.Headers.Contains("Retry-After"));
        JsonElement minimax = await new MiniMaxApi(client).PostAsync("t2a_v2", new
        {
            model = "speech-02-hd", text = "One too many.", voice_setting = new { voice_id = "flite:kal16" },
        });
        Assert.Equal(1041, MiniMaxApi.StatusCode(minimax));

        // A reader that goes away gives its place back: the account may start another request.
        await first.DisposeAsync();
        await Eventually.HoldsAsync(async () =>
            (await client.PostSpeechAsync(new { model = "tts-1", input = "Now there is room.", voice = "flite:kal16" })).StatusCode == HttpStatusCode.OK,
            "a place frees up when a reader leaves");
        JsonElement usage = await server.UsageAsync(key);
        Assert.True(usage.GetProperty("refusals").GetProperty("concurrency_limited").GetInt64() >= 2); // and any while the place was being given back
    }
}

/// <summary>Readers must take audio at full speed after a one-second grace: a stalled one is dropped at once.</summary>
public sealed class ImpatientServer : ServerProcess
{
    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Streaming__ReaderGracePeriod", "00:00:01"),
        new("Voxgate__Streaming__MinReaderSpeed", "1"),
    ];
}

public class DroppedReaderTests(ImpatientServer server) : IClassFixture<ImpatientServer>
{
    [Fact]
    public async Task AReaderThatStallsIsDroppedAndChargedOnlyForWhatItWasSent()
    {
        string key = await server.CreateFundedKeyAsync("staller", "1.00");
        long before = (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        await using StalledReader reader = await StalledReader.StartAsync(server.BaseAddress, key);

        await Eventually.HoldsAsync(() => server.Output.Contains("took audio too slowly"), "the stalled reader is dropped",
            context: () => server.Output);
        Assert.Equal(-1, await reader.ReadToEndAsync()); // cut off, not ended as if complete
        await Eventually.HoldsAsync(async () => (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0, "its hold is released");

        // 4000 characters at $0.005 per 1K would be 20,000 micro-dollars; it paid only for the audio it was sent.
        long charged = before - (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        Assert.InRange(charged, 1, 19_999);
        JsonElement usage = await server.UsageAsync(key);
        Assert.Equal(charged, usage.GetProperty("total").GetProperty("cost_micros").GetInt64());
        Assert.Empty(await server.AuditFindingsAsync());
    }
}

/// <summary>Holds that would lapse after three seconds if nobody renewed them.</summary>
public sealed class ShortHoldServer : ServerProcess
{
    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Billing__HoldLifetime", "00:00:03"),
        new("Voxgate__Streaming__ReaderGracePeriod", "00:30:00"),
    ];
}

public class HoldLifetimeTests(ShortHoldServer server) : IClassFixture<ShortHoldServer>
{
    [Fact]
    public async Task AStreamThatOutlivesItsHoldLifetimeKeepsItsMoneySetAsideAndIsChargedInFull()
    {
        // $0.042104 less the 5% fee leaves 39,999 micro-dollars: one 4000-character request (20,000) and not two.
        string key = await server.CreateFundedKeyAsync("long-reader", "0.042104");
        Assert.Equal(39_999, (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64());
        await using StalledReader reader = await StalledReader.StartAsync(server.BaseAddress, key);

        // Well past two hold lifetimes: the hold is still there, renewed while the stream lives.
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Equal(20_000, (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64());
        using HttpClient client = new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key);
        HttpResponseMessage second = await client.PostSpeechAsync(new { model = "tts-1", input = LongText.Make(4000, seed: 9), voice = "flite:kal16", response_format = "mp3" });
        Assert.Equal(HttpStatusCode.PaymentRequired, second.StatusCode); // before, the lapsed hold let this one spend the money

        Assert.True(await reader.ReadToEndAsync() > 20_000_000);
        await Eventually.HoldsAsync(async () => (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0, "the hold is released");
        Assert.Equal(19_999, (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64());
        JsonElement charge = Assert.Single(await server.ChargesAsync("long-reader", null));
        Assert.Equal((-20_000, 0), (charge.GetProperty("amount_micros").GetInt64(), charge.GetProperty("uncollected_micros").GetInt64()));
        Assert.Empty(await server.AuditFindingsAsync());
    }
}

/// <summary>A server to kill and start again on the same data directory.</summary>
public sealed class KillableServer : ServerProcess
{
    protected override IEnumerable<KeyValuePair<string, string>> Environment => [new("Voxgate__Streaming__ReaderGracePeriod", "00:30:00")];
}

public class KilledServerTests(KillableServer server) : IClassFixture<KillableServer>
{
    [Fact]
    public async Task TheHoldsOfRequestsCutByAKillAreReleasedWhenTheServerStartsAgain()
    {
        string key = await server.CreateFundedKeyAsync("killed", "1.00");
        await using (StalledReader reader = await StalledReader.StartAsync(server.BaseAddress, key))
        {
            Assert.Equal(20_000, (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64());
            await server.KillAsync();
        }
        await server.RestartAsync();

        // At once, not after the hold's 15-minute lifetime: the process that held the money is gone.
        JsonElement wallet = await server.WalletAsync(key);
        Assert.Equal((0L, wallet.GetProperty("balance_micros").GetInt64()), (wallet.GetProperty("held_micros").GetInt64(), wallet.GetProperty("available_micros").GetInt64()));
        Assert.Empty(await server.ChargesAsync("killed", null)); // a request cut by a crash is not charged
        Assert.Empty(await server.AuditFindingsAsync());
    }
}
