using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.EndToEnd;

/// <summary>
/// A gateway (in process) whose catalog routes models to an upstream OpenAI-compatible provider, played by a second,
/// real Voxgate process with its own accounts, keys and limits.
/// </summary>
public sealed class UpstreamPair : IAsyncLifetime
{
    public ServerProcess Upstream { get; } = new();

    public RelayFactory Gateway { get; private set; } = null!;

    /// <summary>A key of a second account on the upstream, which a gateway customer attaches as their own (BYOK).</summary>
    public string CustomerUpstreamKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Upstream.InitializeAsync();
        string limited = await Upstream.CreateFundedKeyAsync("limited", "10.00", requestsPerMinute: 1);
        CustomerUpstreamKey = await Upstream.CreateFundedKeyAsync("customer", "10.00");
        Gateway = new RelayFactory(Upstream.BaseAddress, Upstream.ApiKey, limited);
        _ = Gateway.Server; // start it
    }

    public async Task DisposeAsync()
    {
        Gateway.Dispose();
        await Upstream.DisposeAsync();
    }
}

/// <summary>
/// The gateway: providers "openai" (the operator's key), "limited" (a key allowed 1 request a minute), "down", and
/// "minimax" (the same upstream server's MiniMax-compatible surface).
/// </summary>
public sealed class RelayFactory : VoxgateFactory
{
    private readonly Uri _upstream;
    private readonly string _operatorKey;
    private readonly string _limitedKey;

    /// <param name="upstream">The upstream server's root (its OpenAI surface is under v1, its MiniMax surface under minimax).</param>
    public RelayFactory(Uri upstream, string operatorKey, string limitedKey)
    {
        (_upstream, _operatorKey, _limitedKey) = (upstream, operatorKey, limitedKey);
        File.WriteAllText(Path.Combine(DataDirectory, "catalog.json"), """
            {
              "Voxgate": {
                "Catalog": {
                  "VoiceAliases": { "alloy": "flite:slt" },
                  "Models": [
                    { "Id": "relay/tts", "Engine": "flite", "Upstream": "openai", "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "relay/limited", "Engine": "flite", "Upstream": "limited", "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "relay/down", "Engine": "flite", "Upstream": "down", "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "relay/minimax", "Aliases": [ "speech-02-hd" ], "Engine": "flite", "Upstream": "minimax", "UpstreamModel": "speech-02-hd", "PricePer1KCharactersMicros": 100000, "DefaultVoice": "flite:slt" },
                    { "Id": "voxgate/flite", "Aliases": [ "tts-1" ], "Engine": "flite", "PricePer1KCharactersMicros": 5000, "DefaultVoice": "flite:slt" }
                  ]
                }
              }
            }
            """);
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Voxgate:Upstreams:openai:Kind", "OpenAi"),
        new("Voxgate:Upstreams:openai:BaseUrl", new Uri(_upstream, "v1").ToString()),
        new("Voxgate:Upstreams:openai:ApiKey", _operatorKey),
        new("Voxgate:Upstreams:openai:TimeoutSeconds", "20"),
        new("Voxgate:Upstreams:limited:Kind", "OpenAi"),
        new("Voxgate:Upstreams:limited:BaseUrl", new Uri(_upstream, "v1").ToString()),
        new("Voxgate:Upstreams:limited:ApiKey", _limitedKey),
        new("Voxgate:Upstreams:down:Kind", "OpenAi"),
        new("Voxgate:Upstreams:down:BaseUrl", "http://127.0.0.1:9/v1"),
        new("Voxgate:Upstreams:down:ApiKey", "sk-nothing-listens-there"),
        new("Voxgate:Upstreams:down:TimeoutSeconds", "5"),
        new("Voxgate:Upstreams:minimax:Kind", "MiniMax"),
        new("Voxgate:Upstreams:minimax:BaseUrl", new Uri(_upstream, "minimax").ToString()),
        new("Voxgate:Upstreams:minimax:ApiKey", _operatorKey),
        new("Voxgate:Upstreams:minimax:TimeoutSeconds", "20"),
    ];
}

public class UpstreamTests(UpstreamPair pair) : IClassFixture<UpstreamPair>
{
    private RelayFactory Gateway => pair.Gateway;

    private async Task<(string Key, long AccountId)> CustomerAsync(string name, string dollars = "1.00")
    {
        string key = await Gateway.CreateKeyAsync(name, dollars);
        return (key, (await Gateway.Service<AccountService>().GetAccountAsync(name)).Id);
    }

    private async Task<long> BalanceAsync(long account) => (await Gateway.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).BalanceMicros;

    private async Task<int> UpstreamRequestsAsync(string key)
    {
        using var http = new HttpClient { BaseAddress = pair.Upstream.BaseAddress };
        JsonElement usage = await (await http.WithKey(key).GetAsync("v1/usage")).JsonAsync();
        return usage.GetProperty("total").GetProperty("requests").GetInt32();
    }

    [Fact]
    public async Task AudioComesFromTheUpstreamAndTheGatewayCharges()
    {
        (string key, long account) = await CustomerAsync("relay-paying");
        int before = await UpstreamRequestsAsync(pair.Upstream.ApiKey);
        HttpResponseMessage response = await Gateway.CreateClient().WithKey(key).PostSpeechAsync(new { model = "relay/tts", input = "Relayed through a provider.", voice = "alloy", response_format = "wav" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream:openai", response.Headers.GetValues("x-voxgate-route").Single());
        Assert.Equal("alloy", response.Headers.GetValues("x-voxgate-voice").Single());
        ProbeResult probe = await AudioProbe.ProbeAsync(await response.Content.ReadAsByteArrayAsync(), "wav");
        Assert.InRange(probe.DecodedDuration.TotalSeconds, 1, 5);
        Assert.Equal(before + 1, await UpstreamRequestsAsync(pair.Upstream.ApiKey));
        Assert.Equal(950_000 - 270, await BalanceAsync(account)); // 27 characters at $0.010 per 1K
        UsageRecord usage = Assert.Single(await Gateway.Service<IUsageStore>().RecentAsync(account, 10));
        Assert.False(usage.Byok);
        Assert.Equal(UsageStatus.Succeeded, usage.Status);
    }

    [Fact]
    public async Task TheUpstreamsRateLimitPassesThroughWithItsRetryAfterAndChargesNothing()
    {
        (string key, long account) = await CustomerAsync("relay-limited");
        HttpClient client = Gateway.CreateClient().WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostSpeechAsync(new { model = "relay/limited", input = "First.", voice = "alloy" })).StatusCode);
        long afterFirst = await BalanceAsync(account);
        HttpResponseMessage limited = await client.PostSpeechAsync(new { model = "relay/limited", input = "Second.", voice = "alloy" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        JsonElement error = await limited.ErrorAsync();
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("upstream_rate_limited", error.GetProperty("code").GetString());
        // The upstream's, one request a minute: the seconds until its bucket refills, less the time since the first request.
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(afterFirst, await BalanceAsync(account));
        Assert.Contains(await Gateway.Service<IUsageStore>().RecentAsync(account, 10), u => u.Status == UsageStatus.Failed && u.CostMicros == 0);
    }

    [Fact]
    public async Task WithTheirOwnKeyACustomerPaysTheProviderAndNotTheWallet()
    {
        (string key, long account) = await CustomerAsync("relay-byok");
        HttpClient client = Gateway.CreateClient().WithKey(key);
        HttpResponseMessage attached = await client.PutAsync("/v1/provider-keys/openai", HttpJson.Body(new { api_key = pair.CustomerUpstreamKey }));
        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        Assert.Equal("..." + pair.CustomerUpstreamKey[^4..], (await attached.JsonAsync()).GetProperty("hint").GetString());

        int customerBefore = await UpstreamRequestsAsync(pair.CustomerUpstreamKey);
        int operatorBefore = await UpstreamRequestsAsync(pair.Upstream.ApiKey);
        long balanceBefore = await BalanceAsync(account);
        HttpResponseMessage response = await client.PostSpeechAsync(new { model = "relay/tts", input = "Paid with my own key.", voice = "alloy" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(customerBefore + 1, await UpstreamRequestsAsync(pair.CustomerUpstreamKey));
        Assert.Equal(operatorBefore, await UpstreamRequestsAsync(pair.Upstream.ApiKey));
        Assert.Equal(balanceBefore, await BalanceAsync(account));
        JsonElement usage = await (await client.GetAsync("/v1/usage")).JsonAsync();
        Assert.Equal(1, usage.GetProperty("data")[0].GetProperty("byok_requests").GetInt32());

        string listing = await (await client.GetAsync("/v1/provider-keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(pair.CustomerUpstreamKey, listing);
        SqliteConnection.ClearAllPools();
        byte[] database = [.. File.ReadAllBytes(Path.Combine(Gateway.DataDirectory, "voxgate.db")), .. ReadIfExists(Path.Combine(Gateway.DataDirectory, "voxgate.db-wal"))];
        Assert.Equal(-1, database.AsSpan().IndexOf(Encoding.UTF8.GetBytes(pair.CustomerUpstreamKey)));
        Assert.Equal(-1, database.AsSpan().IndexOf(Encoding.UTF8.GetBytes(pair.CustomerUpstreamKey[6..30])));

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("/v1/provider-keys/openai")).StatusCode);
        HttpResponseMessage charged = await client.PostSpeechAsync(new { model = "relay/tts", input = "Paid by the wallet.", voice = "alloy" });
        await charged.Content.ReadAsByteArrayAsync();
        Assert.True(await BalanceAsync(account) < balanceBefore);
    }

    [Fact]
    public async Task ARejectedOwnKeyIsTheCustomersToFixAndChargesNothing()
    {
        (string key, long account) = await CustomerAsync("relay-badkey");
        HttpClient client = Gateway.CreateClient().WithKey(key);
        await client.PutAsync("/v1/provider-keys/openai", HttpJson.Body(new { api_key = "sk-vg-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg" }));
        long before = await BalanceAsync(account);
        HttpResponseMessage response = await client.PostSpeechAsync(new { model = "relay/tts", input = "Hello.", voice = "alloy" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("provider_key_rejected", (await response.ErrorAsync()).GetProperty("code").GetString());
        Assert.Equal(before, await BalanceAsync(account));
    }

    [Fact]
    public async Task AnUnreachableUpstreamIs503AndAnUpstreamRefusalIs400()
    {
        (string key, _) = await CustomerAsync("relay-errors");
        HttpClient client = Gateway.CreateClient().WithKey(key);
        HttpResponseMessage down = await client.PostSpeechAsync(new { model = "relay/down", input = "Hello.", voice = "alloy" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("upstream_unavailable", (await down.ErrorAsync()).GetProperty("code").GetString());
        Assert.True(down.Headers.Contains("Retry-After"));

        JsonElement unavailable = await new MiniMaxApi(client).PostAsync("t2a_v2", new { model = "relay/down", text = "Hello.", voice_setting = new { voice_id = "alloy" } });
        Assert.Equal(1001, MiniMaxApi.StatusCode(unavailable));

        HttpResponseMessage refused = await client.PostSpeechAsync(new { model = "relay/tts", input = "Hello.", voice = "nobody-at-all" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonElement error = await refused.ErrorAsync();
        Assert.Equal("upstream_rejected", error.GetProperty("code").GetString());
        Assert.Contains("nobody-at-all", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AMiniMaxCompatibleUpstreamServesBothSurfaces()
    {
        // The upstream is a second Voxgate's MiniMax surface: the gateway sends t2a_v2 with stream on and reads the hex
        // audio out of its server-sent events, for an OpenAI request and for a MiniMax one alike.
        (string key, long account) = await CustomerAsync("relay-minimax", "5.00");
        int before = await UpstreamRequestsAsync(pair.Upstream.ApiKey);
        HttpClient client = Gateway.CreateClient().WithKey(key);

        HttpResponseMessage openAi = await client.PostSpeechAsync(new { model = "relay/minimax", input = "Relayed to MiniMax.", voice = "flite:kal16", response_format = "mp3" });
        Assert.Equal(HttpStatusCode.OK, openAi.StatusCode);
        Assert.Equal("upstream:minimax", openAi.Headers.GetValues("x-voxgate-route").Single());
        ProbeResult probe = await AudioProbe.ProbeAsync(await openAi.Content.ReadAsByteArrayAsync(), "mp3");
        Assert.InRange(probe.DecodedDuration.TotalSeconds, 0.8, 5);

        JsonElement miniMax = MiniMaxApi.Ok(await new MiniMaxApi(client).PostAsync("t2a_v2", new
        {
            model = "speech-02-hd",
            text = "A MiniMax client, through the gateway, to a MiniMax provider.",
            voice_setting = new { voice_id = "flite:kal16" },
            audio_setting = new { format = "flac", sample_rate = 16000 },
        }));
        byte[] audio = Convert.FromHexString(miniMax.GetProperty("data").GetProperty("audio").GetString()!);
        Assert.Equal(("flac", 16000), ((await AudioProbe.ProbeAsync(audio, "flac")).Codec, (await AudioProbe.ProbeAsync(audio, "flac")).SampleRate));

        Assert.Equal(before + 2, await UpstreamRequestsAsync(pair.Upstream.ApiKey));
        Assert.Equal(4_750_000 - (19 + 61) * 100, await BalanceAsync(account)); // $0.10 per 1K characters, 19 + 61 characters

        // The provider's refusal (its status code in base_resp) comes back as this surface's own error, uncharged.
        long beforeRefusal = await BalanceAsync(account);
        HttpResponseMessage refused = await client.PostSpeechAsync(new { model = "relay/minimax", input = "Hello.", voice = "nobody-at-all", response_format = "mp3" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonElement error = await refused.ErrorAsync();
        Assert.Equal("upstream_rejected", error.GetProperty("code").GetString());
        Assert.Contains("20132", error.GetProperty("message").GetString());
        Assert.Equal(beforeRefusal, await BalanceAsync(account));
    }

    [Fact]
    public async Task VoiceControlsReachAMiniMaxProviderAndAreRefusedForAnOpenAiOne()
    {
        (string key, _) = await CustomerAsync("relay-controls", "5.00");
        var api = new MiniMaxApi(Gateway.CreateClient().WithKey(key));
        object Body(string model) => new
        {
            model,
            text = "I like tomato soup, <#0.3#> with bread.",
            aigc_watermark = true,
            pronunciation_dict = new { tone = new[] { "tomato//təˈmɑːtəʊ/" } },
            voice_setting = new { voice_id = "espeak:en-us", pitch = 2, emotion = "happy" },
            voice_modify = new { timbre = 30, sound_effects = "lofi_telephone" },
            audio_setting = new { format = "mp3", sample_rate = 16000 },
        };

        // The provider (a second Voxgate) applies what it receives: its watermark proves the controls were forwarded.
        JsonElement relayed = MiniMaxApi.Ok(await api.PostAsync("t2a_v2", Body("relay/minimax")));
        byte[] audio = Convert.FromHexString(relayed.GetProperty("data").GetProperty("audio").GetString()!);
        Speech.Watermarking.WatermarkReport report = Speech.Watermarking.WatermarkDetector.Detect(new MemoryStream(audio));
        Assert.True(report is { Chime: true, Tag: not null }, $"the provider's audio should carry its watermark: {report}");

        JsonElement refused = await api.PostAsync("t2a_v2", Body("relay/tts"));
        Assert.Equal(2013, MiniMaxApi.StatusCode(refused));
        Assert.Contains("OpenAI-compatible provider 'openai'", MiniMaxApi.StatusMessage(refused));
    }

    [Fact]
    public async Task InterjectionTagsReachAMiniMaxProviderAsWrittenAndNeutralIsServed()
    {
        (string key, _) = await CustomerAsync("relay-tags", "5.00");
        const string Text = "Oh no, (gasps) the gateway is down! (sighs) Again.";
        int before = await UpstreamCharactersAsync(pair.Upstream.ApiKey);
        JsonElement relayed = MiniMaxApi.Ok(await new MiniMaxApi(Gateway.CreateClient().WithKey(key)).PostAsync("t2a_v2", new
        {
            model = "relay/minimax", text = Text, voice_setting = new { voice_id = "flite:kal16", emotion = "neutral" }, audio_setting = new { format = "pcm" },
        }));
        int characters = Speech.Text.TextMetrics.CountCharacters(Text);
        Assert.Equal(characters, relayed.GetProperty("extra_info").GetProperty("usage_characters").GetInt32());
        // The provider billed the text it received: all of it, tags included, so it received it unchanged.
        await Eventually.HoldsAsync(async () => await UpstreamCharactersAsync(pair.Upstream.ApiKey) == before + characters,
            $"the provider billed {characters} characters"); // it settles as its answer ends
    }

    private async Task<int> UpstreamCharactersAsync(string key)
    {
        using var http = new HttpClient { BaseAddress = pair.Upstream.BaseAddress };
        JsonElement usage = await (await http.WithKey(key).GetAsync("v1/usage")).JsonAsync();
        return usage.GetProperty("total").GetProperty("characters").GetInt32();
    }

    [Fact]
    public async Task TheCatalogSaysWhereEachModelGoes()
    {
        JsonElement models = (await (await Gateway.CreateClient().GetAsync("/v1/models")).JsonAsync()).GetProperty("data");
        JsonElement relay = models.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "relay/tts");
        Assert.Equal("upstream", relay.GetProperty("route").GetProperty("kind").GetString());
        Assert.Equal("openai", relay.GetProperty("route").GetProperty("upstream").GetString());
    }

    private static byte[] ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : [];
}

/// <summary>An upstream that dies while a gateway streams from it.</summary>
public sealed class DyingUpstream : IAsyncLifetime
{
    public ServerProcess Upstream { get; } = new();

    public RelayFactory Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Upstream.InitializeAsync();
        Gateway = new RelayFactory(Upstream.BaseAddress, Upstream.ApiKey, Upstream.ApiKey);
        _ = Gateway.Server;
    }

    public async Task DisposeAsync()
    {
        Gateway.Dispose();
        await Upstream.DisposeAsync();
    }
}

public class DyingUpstreamTests(DyingUpstream pair) : IClassFixture<DyingUpstream>
{
    [Fact]
    public async Task AnUpstreamThatDiesMidStreamCutsTheResponseAndChargesNothing()
    {
        RelayFactory gateway = pair.Gateway;
        string key = await gateway.CreateKeyAsync("relay-dies", "1.00");
        long account = (await gateway.Service<AccountService>().GetAccountAsync("relay-dies")).Id;
        long before = (await gateway.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).BalanceMicros;
        string text = string.Concat(Enumerable.Repeat("A long relayed text that takes the upstream a good while to speak. ", 60))[..4000];
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = HttpJson.Body(new { model = "relay/tts", input = text, voice = "alloy", response_format = "pcm" }),
        };
        using HttpResponseMessage response = await gateway.CreateClient().WithKey(key).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[64 * 1024];
        Assert.True(await body.ReadAsync(buffer) > 0, "the first audio should be relayed before the upstream finishes");

        await pair.Upstream.KillAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        });

        UsageRecord usage = await WaitForUsageAsync(gateway, account);
        Assert.Equal(UsageStatus.Failed, usage.Status);
        Assert.Equal(0, usage.CostMicros);
        Assert.Equal(before, (await gateway.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).BalanceMicros);
        Assert.Equal(0, (await gateway.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).HeldMicros);
    }

    private static async Task<UsageRecord> WaitForUsageAsync(RelayFactory gateway, long account)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (await gateway.Service<IUsageStore>().RecentAsync(account, 1) is [UsageRecord record])
            {
                return record;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the failed request was never settled");
    }
}
