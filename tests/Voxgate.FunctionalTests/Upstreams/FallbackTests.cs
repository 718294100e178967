using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Metrics;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Upstreams;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Upstreams;

/// <summary>
/// Provider A: a real Voxgate process whose model <c>chain/tts</c> relays to B with a key B refuses, so A answers
/// that model with a 500 until the caller's account on A attaches a key B takes (BYOK on A): a failure the test turns
/// off without touching any clock.
/// </summary>
public sealed class ChainedProvider(Func<Uri> next) : ServerProcess
{
    protected override Task PrepareDataAsync(string dataDirectory) => File.WriteAllTextAsync(Path.Combine(dataDirectory, "catalog.json"), """
        {
          "Voxgate": {
            "Catalog": {
              "VoiceAliases": { "alloy": "flite:slt" },
              "Models": [
                { "Id": "tts-1", "Engine": "flite", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                { "Id": "chain/tts", "Engine": "flite", "Upstream": "via", "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" }
              ]
            }
          }
        }
        """);

    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Upstreams__via__Kind", "OpenAi"),
        new("Voxgate__Upstreams__via__BaseUrl", new Uri(next(), "v1").ToString()),
        new("Voxgate__Upstreams__via__ApiKey", "sk-vg-refused0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab"),
    ];
}

/// <summary>
/// A gateway (in process) whose models list two routes, played by real <c>voxgate serve</c> processes: A (and C, which
/// a test kills) first, B second. Its <see cref="RouteHealth"/> runs on a <see cref="ManualClock"/>, so a cool-down
/// passes when a test says so.
/// </summary>
public sealed class FallbackRig : IAsyncLifetime
{
    public ServerProcess B { get; } = new();

    public ChainedProvider A { get; }

    public ServerProcess C { get; } = new();

    /// <summary>A provider a test kills while its audio is under way.</summary>
    public ServerProcess D { get; } = new();

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public FallbackGateway Gateway { get; private set; } = null!;

    /// <summary>Keys of A's accounts the gateway uses, by provider name: each account's usage on A counts what A received for that provider.</summary>
    public Dictionary<string, string> KeysOnA { get; } = [];

    /// <summary>The key the gateway uses on B.</summary>
    public string KeyOnB { get; private set; } = "";

    /// <summary>A key of an account on B that A's account "flaky" attaches to repair its route through A.</summary>
    public string RepairKey { get; private set; } = "";

    public FallbackRig() => A = new ChainedProvider(() => B.BaseAddress);

    public async Task InitializeAsync()
    {
        await Task.WhenAll(B.InitializeAsync(), C.InitializeAsync(), D.InitializeAsync());
        await A.InitializeAsync();
        KeyOnB = await B.CreateFundedKeyAsync("gateway", "10.00");
        RepairKey = await B.CreateFundedKeyAsync("repair", "10.00");
        KeysOnA["limited"] = await A.CreateFundedKeyAsync("limited", "10.00", requestsPerMinute: 1);
        KeysOnA["failing"] = await A.CreateFundedKeyAsync("failing", "10.00");
        KeysOnA["flaky"] = await A.CreateFundedKeyAsync("flaky", "10.00");
        Gateway = new FallbackGateway(this);
        _ = Gateway.Server; // start it
    }

    public async Task DisposeAsync()
    {
        Gateway.Dispose();
        await Task.WhenAll(A.DisposeAsync(), B.DisposeAsync(), C.DisposeAsync(), D.DisposeAsync());
    }
}

public sealed class FallbackGateway : VoxgateFactory
{
    private readonly FallbackRig _rig;

    public FallbackGateway(FallbackRig rig)
    {
        _rig = rig;
        File.WriteAllText(Path.Combine(DataDirectory, "catalog.json"), """
            {
              "Voxgate": {
                "Catalog": {
                  "VoiceAliases": { "alloy": "flite:slt" },
                  "Models": [
                    { "Id": "fb/killed", "Engine": "flite", "Routes": [ "doomed", "b" ], "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "fb/dying", "Engine": "flite", "Routes": [ "dying", "b" ], "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "fb/limited", "Engine": "flite", "Routes": [ "limited", "b" ], "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "fb/failing", "Engine": "flite", "Routes": [ "failing:chain/tts", "b" ], "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "fb/cooling", "Engine": "flite", "Routes": [ "flaky:chain/tts", "b" ], "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "fb/local", "Engine": "flite", "Routes": [ "dead", "local" ], "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "fb/single", "Engine": "flite", "Upstream": "dead", "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" }
                  ]
                }
              }
            }
            """);
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. Provider("doomed", _rig.C.BaseAddress, _rig.C.ApiKey),
        .. Provider("dying", _rig.D.BaseAddress, _rig.D.ApiKey),
        .. Provider("limited", _rig.A.BaseAddress, _rig.KeysOnA["limited"]),
        .. Provider("failing", _rig.A.BaseAddress, _rig.KeysOnA["failing"]),
        .. Provider("flaky", _rig.A.BaseAddress, _rig.KeysOnA["flaky"]),
        new("Voxgate:Upstreams:flaky:FailuresBeforeCoolDown", "2"),
        new("Voxgate:Upstreams:flaky:CoolDownSeconds", "60"),
        .. Provider("b", _rig.B.BaseAddress, _rig.KeyOnB),
        .. Provider("dead", new Uri("http://127.0.0.1:9/"), "sk-nothing-listens-there"),
    ];

    private static IEnumerable<KeyValuePair<string, string?>> Provider(string name, Uri server, string key) =>
    [
        new($"Voxgate:Upstreams:{name}:Kind", "OpenAi"),
        new($"Voxgate:Upstreams:{name}:BaseUrl", new Uri(server, "v1").ToString()),
        new($"Voxgate:Upstreams:{name}:ApiKey", key),
        new($"Voxgate:Upstreams:{name}:TimeoutSeconds", "20"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddSingleton(provider => new RouteHealth(provider.GetRequiredService<IOptions<UpstreamOptions>>(), _rig.Clock)));
    }
}

public sealed class FallbackTests(FallbackRig rig) : IClassFixture<FallbackRig>
{
    private const string Text = "Served by whichever route is up.";

    private FallbackGateway Gateway => rig.Gateway;

    private async Task<(HttpClient Client, long Account)> CustomerAsync(string name)
    {
        string key = await Gateway.CreateKeyAsync(name, "1.00");
        return (Gateway.CreateClient().WithKey(key), (await Gateway.Service<AccountService>().GetAccountAsync(name)).Id);
    }

    private static Task<HttpResponseMessage> SpeakAsync(HttpClient client, string model) =>
        client.PostSpeechAsync(new { model, input = Text, voice = "alloy", response_format = "wav" });

    private async Task<long> BalanceAsync(long account) =>
        (await Gateway.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).BalanceMicros;

    private async Task<List<UsageRecord>> UsageAsync(long account) => [.. await Gateway.Service<IUsageStore>().RecentAsync(account, 50)];

    /// <summary>The requests a provider process served for a key, and with <paramref name="failed"/> those it failed too.</summary>
    private static async Task<int> RequestsAsync(ServerProcess server, string key, bool failed = false)
    {
        using HttpClient http = server.Client().WithKey(key);
        JsonElement total = (await (await http.GetAsync("v1/usage")).JsonAsync()).GetProperty("total");
        return total.GetProperty("requests").GetInt32() + (failed ? total.GetProperty("failed").GetInt32() : 0);
    }

    /// <summary>
    /// Waits until A has recorded <paramref name="expected"/> requests for the key, served or failed (A records a
    /// failure as it settles, which may be just after its answer), and checks it recorded no more.
    /// </summary>
    private async Task AReceivedAsync(string key, int expected)
    {
        await Eventually.HoldsAsync(async () => await RequestsAsync(rig.A, key, failed: true) >= expected, $"A recorded {expected} requests");
        Assert.Equal(expected, await RequestsAsync(rig.A, key, failed: true));
    }

    /// <summary>Speaks once and checks it was served by <paramref name="route"/>, charged once at the model's price, with one usage row naming the route.</summary>
    private async Task ServedOnceByAsync(HttpClient client, long account, string model, string route, string header)
    {
        long before = await BalanceAsync(account);
        int rowsBefore = (await UsageAsync(account)).Count;
        using HttpResponseMessage response = await SpeakAsync(client, model);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(header, response.Headers.GetValues("x-voxgate-route").Single());
        ProbeResult probe = await AudioProbe.ProbeAsync(await response.Content.ReadAsByteArrayAsync(), "wav");
        Assert.True(probe.DecodedDuration > TimeSpan.Zero);
        Assert.Equal(before - Money.Cost(Text.Length, 10_000), await BalanceAsync(account));
        List<UsageRecord> rows = await UsageAsync(account);
        Assert.Equal(rowsBefore + 1, rows.Count);
        UsageRecord usage = rows[0];
        Assert.Equal(UsageStatus.Succeeded, usage.Status);
        Assert.Equal(route, usage.Route);
        Assert.Equal(Money.Cost(Text.Length, 10_000), usage.CostMicros);
    }

    [Fact]
    public async Task AKilledProviderFallsThroughToTheNextAndTheRequestIsChargedOnce()
    {
        (HttpClient client, long account) = await CustomerAsync("fb-killed");
        await ServedOnceByAsync(client, account, "fb/killed", "doomed", "upstream:doomed");
        await rig.C.KillAsync();
        int atB = await RequestsAsync(rig.B, rig.KeyOnB);
        await ServedOnceByAsync(client, account, "fb/killed", "b", "upstream:b");
        Assert.Equal(atB + 1, await RequestsAsync(rig.B, rig.KeyOnB));
    }

    [Fact]
    public async Task AFailureAfterTheFirstAudioByteEndsTheResponseWithoutFallingThrough()
    {
        (HttpClient client, long account) = await CustomerAsync("fb-dying");
        int atB = await RequestsAsync(rig.B, rig.KeyOnB, failed: true);
        long before = await BalanceAsync(account);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = HttpJson.Body(new { model = "fb/dying", input = LongText.Make(4000), voice = "alloy", response_format = "pcm" }),
        };
        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream:dying", response.Headers.GetValues("x-voxgate-route").Single());
        await using Stream audio = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[4096];
        Assert.True(await audio.ReadAsync(buffer) > 0, "the first audio arrived");
        await rig.D.KillAsync(); // minutes of audio still to come from D

        // The response ends cut short (raw audio has no error event: the connection is aborted), never completed by B.
        long received = 0;
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            int read;
            while ((read = await audio.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });
        Assert.True(received < 4000 * 24_000 / 20, "the stream was cut short");
        UsageRecord usage = null!;
        await Eventually.HoldsAsync(async () => (await UsageAsync(account)).FirstOrDefault() is { } row && (usage = row) is not null, "the request was settled");
        Assert.Equal(UsageStatus.Failed, usage.Status);
        Assert.Equal("dying", usage.Route);
        Assert.Equal(0, usage.CostMicros); // as before routes: a failed request is charged nothing
        Assert.Equal(before, await BalanceAsync(account));
        Assert.Equal(atB, await RequestsAsync(rig.B, rig.KeyOnB, failed: true));
    }

    [Fact]
    public async Task AProvidersRateLimitFallsThrough()
    {
        (HttpClient client, long account) = await CustomerAsync("fb-limited");
        // The key on A allows one request a minute: the first is A's, the next is refused with 429 and goes to B.
        await ServedOnceByAsync(client, account, "fb/limited", "limited", "upstream:limited");
        await ServedOnceByAsync(client, account, "fb/limited", "b", "upstream:b");
        Assert.Equal(1, await RequestsAsync(rig.A, rig.KeysOnA["limited"])); // the second was A's refusal (429), not a request it served
    }

    [Fact]
    public async Task AProviders5xxFallsThrough()
    {
        (HttpClient client, long account) = await CustomerAsync("fb-failing");
        int atA = await RequestsAsync(rig.A, rig.KeysOnA["failing"], failed: true);
        // This gateway's own meter, listened to directly: in-process servers of other tests share the meter's name.
        using var recorder = new MeterRecorder(Gateway.Service<GatewayMetrics>().Meter);
        await ServedOnceByAsync(client, account, "fb/failing", "b", "upstream:b");
        await AReceivedAsync(rig.KeysOnA["failing"], atA + 1); // A was asked, and failed
        Assert.Equal(1, recorder.Sum("voxgate.upstream.fallbacks", ("from", "failing"), ("to", "b"))); // labelled with the configured names
    }

    [Fact]
    public async Task AnUnreachableProviderFallsThroughToTheLocalEngine()
    {
        (HttpClient client, long account) = await CustomerAsync("fb-local");
        await ServedOnceByAsync(client, account, "fb/local", "local", "flite");
    }

    [Fact]
    public async Task ASingleRouteFailsAsBeforeAndChargesNothing()
    {
        (HttpClient client, long account) = await CustomerAsync("fb-single");
        long before = await BalanceAsync(account);
        using HttpResponseMessage response = await SpeakAsync(client, "fb/single");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream_unavailable", (await response.ErrorAsync()).GetProperty("code").GetString());
        Assert.Equal(before, await BalanceAsync(account));
        UsageRecord usage = Assert.Single(await UsageAsync(account));
        Assert.Equal(UsageStatus.Failed, usage.Status);
        Assert.Equal("dead", usage.Route);
    }

    [Fact]
    public async Task AProviderThatKeepsFailingCoolsDownAndIsProbedBackInAfterward()
    {
        (HttpClient client, long account) = await CustomerAsync("fb-cooling");
        string flaky = rig.KeysOnA["flaky"];
        int atA = await RequestsAsync(rig.A, flaky, failed: true);

        // Two failures in a row (A answers 500) take A out; each request is still served by B.
        await ServedOnceByAsync(client, account, "fb/cooling", "b", "upstream:b");
        await ServedOnceByAsync(client, account, "fb/cooling", "b", "upstream:b");
        await AReceivedAsync(flaky, atA + 2);

        // Cooling down: A is not asked at all, even once it would answer.
        using (HttpClient onA = rig.A.Client().WithKey(flaky))
        {
            Assert.Equal(HttpStatusCode.OK, (await onA.PutAsync("/v1/provider-keys/via", HttpJson.Body(new { api_key = rig.RepairKey }))).StatusCode);
        }
        await ServedOnceByAsync(client, account, "fb/cooling", "b", "upstream:b");
        rig.Clock.Advance(TimeSpan.FromSeconds(59));
        await ServedOnceByAsync(client, account, "fb/cooling", "b", "upstream:b");
        Assert.Equal(atA + 2, await RequestsAsync(rig.A, flaky, failed: true));

        // The cool-down over, one request probes A; its success puts A back for the next ones.
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        await ServedOnceByAsync(client, account, "fb/cooling", "flaky", "upstream:flaky");
        await ServedOnceByAsync(client, account, "fb/cooling", "flaky", "upstream:flaky");
        await AReceivedAsync(flaky, atA + 4);
    }
}
