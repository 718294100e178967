using System.Text.Json;
using Voxgate.Tests.Hostile;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebSocket;

/// <summary>A gateway process whose speech-02-hd goes to a second Voxgate process's MiniMax surface.</summary>
public sealed class WebSocketRelayPair : IAsyncLifetime
{
    public ServerProcess Upstream { get; } = new();

    public RelayGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Upstream.InitializeAsync();
        Gateway = new RelayGateway(Upstream.BaseAddress, Upstream.ApiKey);
        await Gateway.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    public sealed class RelayGateway(Uri upstream, string upstreamKey) : ServerProcess
    {
        protected override Task PrepareDataAsync(string dataDirectory) => File.WriteAllTextAsync(Path.Combine(dataDirectory, "catalog.json"), """
            {
              "Voxgate": {
                "Catalog": {
                  "Models": [
                    { "Id": "relay/minimax", "Aliases": [ "speech-02-hd" ], "Engine": "flite", "Upstream": "minimax", "UpstreamModel": "speech-02-hd", "PricePer1KCharactersMicros": 100000, "DefaultVoice": "flite:slt" },
                    { "Id": "voxgate/flite", "Aliases": [ "tts-1" ], "Engine": "flite", "PricePer1KCharactersMicros": 5000, "DefaultVoice": "flite:slt" }
                  ]
                }
              }
            }
            """);

        protected override IEnumerable<KeyValuePair<string, string>> Environment =>
        [
            new("Voxgate__Upstreams__minimax__Kind", "MiniMax"),
            new("Voxgate__Upstreams__minimax__BaseUrl", new Uri(upstream, "minimax").ToString()),
            new("Voxgate__Upstreams__minimax__ApiKey", upstreamKey),
            new("Voxgate__Upstreams__minimax__TimeoutSeconds", "20"),
        ];
    }
}

public class WebSocketRelayTests(WebSocketRelayPair pair) : IClassFixture<WebSocketRelayPair>
{
    [Fact]
    public async Task ATaskOnAProvidersModelIsRelayedToItsWebSocketAndChargedOnceOnEachSide()
    {
        ServerProcess gateway = pair.Gateway;
        string key = await gateway.CreateFundedKeyAsync("relayed", "5.00");
        await using MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(gateway.BaseAddress, key);
        await client.ExpectAsync("connected_success");
        await client.SendAsync(new Dictionary<string, object>
        {
            ["event"] = "task_start", ["model"] = "speech-02-hd",
            ["voice_setting"] = new { voice_id = "flite:kal16" }, ["audio_setting"] = new { format = "mp3", sample_rate = 24000 },
        });
        string traceId = (await client.ExpectAsync("task_started")).GetProperty("trace_id").GetString()!;
        const string First = "Relayed text goes to the provider a sentence at a time.";
        const string Second = " Its audio comes back while the rest is still being written.";
        foreach (string token in Tokens.Of(First + " Its"))
        {
            await client.SendTextAsync(token);
        }
        JsonElement audioFirst = await client.ExpectAsync("task_continued"); // before the rest of the text is sent
        var audio = new MemoryStream();
        audio.Write(MiniMaxSocketClient.Audio(audioFirst));
        foreach (string token in Tokens.Of(Second[" Its".Length..]))
        {
            await client.SendTextAsync(token);
        }
        await client.SendAsync(new { @event = "task_finish" });
        List<JsonElement> events = await client.ReceiveUntilEndAsync();
        Assert.Equal("task_finished", MiniMaxSocketClient.Event(events[^1]));
        foreach (JsonElement e in events)
        {
            audio.Write(MiniMaxSocketClient.Audio(e));
        }
        ProbeResult probe = await AudioProbe.ProbeAsync(audio.ToArray(), "mp3");
        Assert.Equal(("mp3", 24000), (probe.Codec, probe.SampleRate));
        Assert.True(probe.DecodedDuration > TimeSpan.FromSeconds(3), probe.DecodedDuration.ToString());

        // The gateway charged its customer once; the upstream served one task for the operator's key.
        int characters = (First + Second).Length;
        await Eventually.HoldsAsync(async () => (await gateway.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0, "the hold is released");
        JsonElement charge = Assert.Single(await gateway.ChargesAsync("relayed", traceId));
        Assert.Equal(-((characters * 100_000L + 999) / 1000), charge.GetProperty("amount_micros").GetInt64());
        JsonElement upstreamUsage = await pair.Upstream.UsageAsync(pair.Upstream.ApiKey);
        Assert.Equal(characters, upstreamUsage.GetProperty("total").GetProperty("characters").GetInt32());
        Assert.Empty(await gateway.AuditFindingsAsync());
        Assert.Empty(await pair.Upstream.AuditFindingsAsync());
    }
}
