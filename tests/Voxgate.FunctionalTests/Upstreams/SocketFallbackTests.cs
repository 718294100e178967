using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Metrics;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Upstreams;
using Voxgate.Tests.Support;
using Voxgate.Tests.WebSocket;

namespace Voxgate.Tests.Upstreams;

/// <summary>
/// A gateway (in process) whose models list several MiniMax-compatible routes, played by real <c>voxgate serve</c>
/// processes: A (killed before the tests start), B (up), D (killed while a task's audio is under way) and H (holds a
/// voice a test designs there, then kills). Its <see cref="RouteHealth"/> runs on a <see cref="ManualClock"/>.
/// </summary>
public sealed class SocketFallbackRig : IAsyncLifetime
{
    public ServerProcess A { get; } = new();

    public ServerProcess B { get; } = new();

    public ServerProcess D { get; } = new();

    public ServerProcess H { get; } = new();

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public SocketFallbackGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(A.InitializeAsync(), B.InitializeAsync(), D.InitializeAsync(), H.InitializeAsync());
        Gateway = new SocketFallbackGateway(this);
        _ = Gateway.Server; // start it
        await A.KillAsync();
    }

    public async Task DisposeAsync()
    {
        Gateway.Dispose();
        await Task.WhenAll(A.DisposeAsync(), B.DisposeAsync(), D.DisposeAsync(), H.DisposeAsync());
    }
}

public sealed class SocketFallbackGateway : VoxgateFactory
{
    private readonly SocketFallbackRig _rig;

    public SocketFallbackGateway(SocketFallbackRig rig)
    {
        _rig = rig;
        File.WriteAllText(Path.Combine(DataDirectory, "catalog.json"), """
            {
              "Voxgate": {
                "Catalog": {
                  "Models": [
                    { "Id": "ws/killed", "Engine": "flite", "Routes": [ "a1", "b" ], "UpstreamModel": "speech-02-hd", "PricePer1KCharactersMicros": 100000, "DefaultVoice": "flite:slt" },
                    { "Id": "ws/local", "Engine": "flite", "Routes": [ "a2", "local" ], "UpstreamModel": "speech-02-hd", "PricePer1KCharactersMicros": 100000, "DefaultVoice": "flite:slt" },
                    { "Id": "ws/dying", "Engine": "flite", "Routes": [ "dying", "b" ], "UpstreamModel": "speech-02-hd", "PricePer1KCharactersMicros": 100000, "DefaultVoice": "flite:slt" },
                    { "Id": "ws/held", "Engine": "flite", "Routes": [ "h", "b", "local" ], "UpstreamModel": "speech-02-hd", "PricePer1KCharactersMicros": 100000, "DefaultVoice": "flite:slt" }
                  ]
                }
              }
            }
            """);
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. Provider("a1", _rig.A),
        new("Voxgate:Upstreams:a1:FailuresBeforeCoolDown", "1"),
        .. Provider("a2", _rig.A),
        .. Provider("b", _rig.B),
        .. Provider("dying", _rig.D),
        .. Provider("h", _rig.H),
        new("Voxgate:Upstreams:h:FailuresBeforeCoolDown", "1"),
        new("Voxgate:Upstreams:h:CoolDownSeconds", "60"),
    ];

    private static IEnumerable<KeyValuePair<string, string?>> Provider(string name, ServerProcess server) =>
    [
        new($"Voxgate:Upstreams:{name}:Kind", "MiniMax"),
        new($"Voxgate:Upstreams:{name}:BaseUrl", new Uri(server.BaseAddress, "minimax").ToString()),
        new($"Voxgate:Upstreams:{name}:ApiKey", server.ApiKey),
        new($"Voxgate:Upstreams:{name}:TimeoutSeconds", "20"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddSingleton(provider => new RouteHealth(provider.GetRequiredService<IOptions<UpstreamOptions>>(), _rig.Clock)));
    }
}

/// <summary>
/// MiniMax WebSocket tasks fall through like requests: a provider that fails before any audio reached the client
/// hands the task to the next route (another provider's WebSocket, or the local engine), with one hold and one
/// settlement by the route that served; a provider failing after its audio began ends the task; a voice held at a
/// provider is spoken only there.
/// </summary>
public sealed class SocketFallbackTests(SocketFallbackRig rig) : IClassFixture<SocketFallbackRig>
{
    private const string First = "Served by whichever route is up.";
    private const string Second = " The rest of the task follows on the same route.";
    private const long Price = 100_000;

    private SocketFallbackGateway Gateway => rig.Gateway;

    private async Task<(string Key, string Account)> CustomerAsync(string name)
    {
        name += "-" + Guid.NewGuid().ToString("N")[..6];
        return (await Gateway.CreateKeyAsync(name, "1.00"), name);
    }

    private async Task<MiniMaxSocketClient> ConnectAsync(string key)
    {
        WebSocketClient connector = Gateway.Server.CreateWebSocketClient();
        connector.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + key;
        MiniMaxSocketClient client = MiniMaxSocketClient.Over(await connector.ConnectAsync(new Uri(Gateway.Server.BaseAddress, "ws/v1/t2a_v2"), CancellationToken.None));
        await client.ExpectAsync("connected_success");
        return client;
    }

    private static async Task<string> StartAsync(MiniMaxSocketClient client, string model, string voice = "flite:slt")
    {
        await client.SendAsync(new Dictionary<string, object>
        {
            ["event"] = "task_start", ["model"] = model, ["voice_setting"] = new { voice_id = voice },
            ["audio_setting"] = new { format = "mp3", sample_rate = 24000 },
        });
        return (await client.ExpectAsync("task_started")).GetProperty("trace_id").GetString()!;
    }

    /// <summary>Runs a whole task (two pieces, then task_finish) and checks its audio and its one settlement by <paramref name="route"/>.</summary>
    private async Task SpokenOnceByAsync(string model, string route, string served)
    {
        (string key, string account) = await CustomerAsync("ws-" + route);
        long before = (await Gateway.WalletAsync(account)).BalanceMicros;
        string traceId;
        var audio = new MemoryStream();
        List<JsonElement> events;
        await using (MiniMaxSocketClient client = await ConnectAsync(key))
        {
            traceId = await StartAsync(client, model);
            await client.SendTextAsync(First);
            await client.SendTextAsync(Second);
            await client.SendAsync(new { @event = "task_finish" });
            events = await client.ReceiveUntilEndAsync();
        }
        JsonElement finished = events[^1];
        Assert.Equal("task_finished", MiniMaxSocketClient.Event(finished));
        Assert.Equal(served, finished.GetProperty("voxgate_route").GetString());
        foreach (JsonElement e in events)
        {
            audio.Write(MiniMaxSocketClient.Audio(e));
        }
        ProbeResult probe = await AudioProbe.ProbeAsync(audio.ToArray(), "mp3");
        Assert.True(probe.DecodedDuration > TimeSpan.FromSeconds(2), probe.DecodedDuration + " " + string.Join("\n", events.Select(e => e.ToString()[..Math.Min(300, e.ToString().Length)])));

        long cost = Money.Cost((First + Second).Length, Price);
        await Eventually.HoldsAsync(async () => (await Gateway.UsageRowsAsync(account)).Count == 1, "the task is settled");
        UsageRecord usage = Assert.Single(await Gateway.UsageRowsAsync(account));
        Assert.Equal((traceId, UsageStatus.Succeeded, route, cost), (usage.RequestId, usage.Status, usage.Route, usage.CostMicros));
        Assert.Equal(-cost, Assert.Single(await Gateway.ChargesAsync(account)).AmountMicros);
        WalletState wallet = await Gateway.WalletAsync(account);
        Assert.Equal((before - cost, 0L), (wallet.BalanceMicros, wallet.HeldMicros));
    }

    [Fact]
    public async Task ATaskWhoseProviderIsDownFallsThroughToTheNextProviderAndIsChargedOnce()
    {
        using var recorder = new MeterRecorder(Gateway.Service<GatewayMetrics>().Meter);
        await SpokenOnceByAsync("ws/killed", "b", "upstream:b");
        Assert.Equal(1, recorder.Sum("voxgate.upstream.fallbacks", ("from", "a1"), ("to", "b")));
        Assert.True(Gateway.Service<RouteHealth>().IsOut("a1"), "the failure before audio counts against the provider");
        await Gateway.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task ATaskWhoseProviderIsDownFallsThroughToTheLocalEngine()
    {
        using var recorder = new MeterRecorder(Gateway.Service<GatewayMetrics>().Meter);
        await SpokenOnceByAsync("ws/local", "local", "flite");
        Assert.Equal(1, recorder.Sum("voxgate.upstream.fallbacks", ("from", "a2"), ("to", "local")));
        await Gateway.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task AProviderFailingAfterItsAudioBeganFailsTheTaskWithoutFallingThroughAndChargesNothing()
    {
        (string key, string account) = await CustomerAsync("ws-dying");
        long before = (await Gateway.WalletAsync(account)).BalanceMicros;
        await using (MiniMaxSocketClient client = await ConnectAsync(key))
        {
            await StartAsync(client, "ws/dying");
            await client.SendTextAsync(First);
            await client.ExpectAsync("task_continued"); // D's audio reached the client: the route is the task's
            await rig.D.KillAsync();
            await client.SendTextAsync(Second);
            await client.SendAsync(new { @event = "task_finish" });
            JsonElement failed = (await client.ReceiveUntilEndAsync())[^1];
            Assert.Equal("task_failed", MiniMaxSocketClient.Event(failed));
            Assert.Equal(1000, MiniMaxSocketClient.StatusCode(failed));
            Assert.Contains("dying", failed.GetProperty("base_resp").GetProperty("status_msg").GetString());
        }
        await Eventually.HoldsAsync(async () => (await Gateway.UsageRowsAsync(account)).Count == 1, "the task is settled");
        UsageRecord usage = Assert.Single(await Gateway.UsageRowsAsync(account));
        Assert.Equal((UsageStatus.Failed, "dying", 0L), (usage.Status, usage.Route, usage.CostMicros)); // as a request: a failure is charged nothing
        WalletState wallet = await Gateway.WalletAsync(account);
        Assert.Equal((before, 0L), (wallet.BalanceMicros, wallet.HeldMicros));
        Assert.Empty(await Gateway.ChargesAsync(account));
    }

    [Fact]
    public async Task AVoiceHeldAtAProviderThatIsDownIsSpokenNowhereElseAndNothingIsCharged()
    {
        (string key, string account) = await CustomerAsync("ws-held");
        var minimax = new MiniMaxApi(Gateway.CreateClientWithKey(key));
        MiniMaxApi.Ok(await minimax.PostAsync("voice_design",
            new { prompt = "A bright, quick voice", preview_text = "A trial.", voice_id = "HeldVoice01", model = "ws/held" }));
        JsonElement spoken = MiniMaxApi.Ok(await minimax.PostAsync("t2a_v2",
            new { model = "ws/held", text = First, voice_setting = new { voice_id = "HeldVoice01" } }));
        Assert.True(spoken.GetProperty("data").GetProperty("audio").GetString()!.Length > 1000);
        await rig.H.KillAsync();
        WalletState before = await Gateway.WalletAsync(account);
        int rows = (await Gateway.UsageRowsAsync(account)).Count;

        // The first failure takes H out (one failure cools it down here); the next request must still not go to B or the engine.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            JsonElement refused = await minimax.PostAsync("t2a_v2", new { model = "ws/held", text = First, voice_setting = new { voice_id = "HeldVoice01" } });
            Assert.Equal(1001, MiniMaxApi.StatusCode(refused));
            Assert.Contains("exists only at the provider 'h'", MiniMaxApi.StatusMessage(refused));
        }
        Assert.True(Gateway.Service<RouteHealth>().IsOut("h"));

        using (HttpClient openAi = Gateway.CreateClientWithKey(key))
        {
            using HttpResponseMessage response = await openAi.PostSpeechAsync(new { model = "ws/held", input = First, voice = "HeldVoice01", response_format = "mp3" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            JsonElement error = await response.ErrorAsync();
            Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
            Assert.Contains("exists only at the provider 'h'", error.GetProperty("message").GetString());
        }

        await using (MiniMaxSocketClient client = await ConnectAsync(key))
        {
            await StartAsync(client, "ws/held", "HeldVoice01");
            await client.SendTextAsync(First);
            await client.SendAsync(new { @event = "task_finish" });
            JsonElement failed = (await client.ReceiveUntilEndAsync())[^1];
            Assert.Equal(("task_failed", 1001), (MiniMaxSocketClient.Event(failed), MiniMaxSocketClient.StatusCode(failed)));
            Assert.Contains("exists only at the provider 'h'", failed.GetProperty("base_resp").GetProperty("status_msg").GetString());
        }

        await Eventually.HoldsAsync(async () => (await Gateway.UsageRowsAsync(account)).Count == rows + 4, "every attempt is settled");
        List<UsageRecord> failures = [.. (await Gateway.UsageRowsAsync(account)).Skip(rows)];
        Assert.All(failures, usage => Assert.Equal((UsageStatus.Failed, "h", 0L), (usage.Status, usage.Route, usage.CostMicros)));
        WalletState after = await Gateway.WalletAsync(account);
        Assert.Equal((before.BalanceMicros, 0L), (after.BalanceMicros, after.HeldMicros));
        await Gateway.AssertBooksSoundAsync();
    }
}
