using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.MiniMax;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebSocket;

/// <summary>
/// A WebSocket task's text is taken from its key's characters per minute as it is accepted, as a t2a_v2 request's
/// is: text over the limit fails the task with 1039 (charged what was spoken), on this node's limiter (whose clock
/// the test moves) and on the limits shared through Redis.
/// </summary>
public class WebSocketCharacterLimitTests(ClockedVoxgateFactory factory) : IClassFixture<ClockedVoxgateFactory>
{
    private const string Sentence1 = "The first sentence arrives a few characters at a time. "; // 55 characters
    private const string Sentences23 = "Then a second one follows, while the first is already playing. And the third ends the text! "; // 92
    private const long MicrosPerCharacter = 100; // speech-02-hd

    private sealed class RedisLimitsFactory(string redis) : VoxgateFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("Voxgate:Redis:Configuration", redis),
            new("Voxgate:Redis:KeyPrefix", RedisServer.NewPrefix()),
        ];
    }

    [Fact]
    public async Task PiecesOverTheCharacterLimitFailTheTaskWith1039AndALaterTaskPassesOnceTheBucketRefills()
    {
        string key = await factory.CreateKeyAsync("ws-cpm", "5.00", charactersPerMinute: 100);
        await SpeakOverTheLimitAsync(factory, "ws-cpm", key);

        // 55 of the 100 were spent, so the next 92 must wait 47 characters' worth (28.2 s); a minute refills all.
        factory.Clock.Advance(TimeSpan.FromSeconds(60));
        await using MiniMaxSocketClient client = await ConnectAsync(factory, key);
        await StartAsync(client);
        await client.SendTextAsync(Sentences23);
        await client.SendAsync(new { @event = "task_finish" });
        Assert.Equal("task_finished", MiniMaxSocketClient.Event((await client.ReceiveUntilEndAsync())[^1]));
        UsageRecord later = (await factory.UsageRowsAsync("ws-cpm"))[^1];
        Assert.Equal((UsageStatus.Succeeded, Sentences23.Length, Sentences23.Length * MicrosPerCharacter), (later.Status, later.Characters, later.CostMicros));
        await factory.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task ATaskOfExactlyTheLimitPassesItsFirstPieceCountedOnceAndAPieceLongerThanTheLimitNeverPasses()
    {
        string exact = await factory.CreateKeyAsync("ws-cpm-exact", "5.00", charactersPerMinute: Sentence1.Length + Sentences23.Length);
        await using (MiniMaxSocketClient client = await ConnectAsync(factory, exact))
        {
            await StartAsync(client);
            await client.SendTextAsync(Sentence1);
            await client.SendTextAsync(Sentences23);
            await client.SendAsync(new { @event = "task_finish" });
            Assert.Equal("task_finished", MiniMaxSocketClient.Event((await client.ReceiveUntilEndAsync())[^1]));
        }

        string small = await factory.CreateKeyAsync("ws-cpm-small", "5.00", charactersPerMinute: 50);
        await using (MiniMaxSocketClient client = await ConnectAsync(factory, small))
        {
            await StartAsync(client);
            await client.SendTextAsync(Sentence1);
            JsonElement failed = (await client.ReceiveUntilEndAsync())[^1];
            Assert.Equal(("task_failed", 1039), (MiniMaxSocketClient.Event(failed), MiniMaxSocketClient.StatusCode(failed)));
            Assert.Contains("can never pass", failed.GetProperty("base_resp").GetProperty("status_msg").GetString());
            Assert.Null(await client.ReceiveAsync()); // the connection closes after task_failed
        }
        await Eventually.HoldsAsync(async () => (await factory.UsageRowsAsync("ws-cpm-small")).Count == 1, "the task is settled");
        UsageRecord nothing = Assert.Single(await factory.UsageRowsAsync("ws-cpm-small"));
        Assert.Equal((UsageStatus.Cancelled, 0L), (nothing.Status, nothing.CostMicros));
        Assert.Equal(0, (await factory.WalletAsync("ws-cpm-small")).HeldMicros);
        await factory.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task TheLimitsSharedThroughRedisStopATaskToo()
    {
        RedisServer redis = await RedisServer.SharedAsync();
        using var shared = new RedisLimitsFactory(redis.Address);
        string key = await shared.CreateKeyAsync("ws-cpm-redis", "5.00", charactersPerMinute: 100);
        await SpeakOverTheLimitAsync(shared, "ws-cpm-redis", key);

        // The refused text spent nothing: the 45 characters left pass at once (Redis's clock cannot be moved).
        await using MiniMaxSocketClient client = await ConnectAsync(shared, key);
        await StartAsync(client);
        await client.SendTextAsync("Still healthy. ");
        await client.SendAsync(new { @event = "task_finish" });
        Assert.Equal("task_finished", MiniMaxSocketClient.Event((await client.ReceiveUntilEndAsync())[^1]));
        await shared.AssertBooksSoundAsync();
    }

    /// <summary>
    /// A key of 100 characters per minute speaks its first sentence (55), then sends 92 more in one piece: the task
    /// fails with 1039 and a time to retry, and is charged the 55 that were spoken, once.
    /// </summary>
    private static async Task SpeakOverTheLimitAsync(VoxgateFactory server, string account, string key)
    {
        string traceId;
        await using (MiniMaxSocketClient client = await ConnectAsync(server, key))
        {
            traceId = await StartAsync(client);
            await client.SendTextAsync(Sentence1);
            JsonElement continued;
            do
            {
                continued = await client.ExpectAsync("task_continued");
            }
            while (!continued.GetProperty("is_final").GetBoolean());
            await client.SendTextAsync(Sentences23);
            JsonElement failed = (await client.ReceiveUntilEndAsync())[^1];
            Assert.Equal(("task_failed", 1039), (MiniMaxSocketClient.Event(failed), MiniMaxSocketClient.StatusCode(failed)));
            Assert.Equal(traceId, failed.GetProperty("trace_id").GetString());
            Assert.Matches(@"100 characters per minute.*after \d+ s", failed.GetProperty("base_resp").GetProperty("status_msg").GetString());
            Assert.Null(await client.ReceiveAsync()); // the connection closes after task_failed
        }

        await Eventually.HoldsAsync(async () => (await server.UsageRowsAsync(account)).Count == 1, "the task is settled");
        UsageRecord usage = Assert.Single(await server.UsageRowsAsync(account));
        Assert.Equal((traceId, UsageStatus.Cancelled, Sentence1.Length, Sentence1.Length * MicrosPerCharacter),
            (usage.RequestId, usage.Status, usage.Characters, usage.CostMicros));
        Assert.Equal(Sentence1.Length * MicrosPerCharacter, -Assert.Single(await server.ChargesAsync(account)).AmountMicros);
        Assert.Equal(0, (await server.WalletAsync(account)).HeldMicros);
    }

    private static async Task<MiniMaxSocketClient> ConnectAsync(VoxgateFactory server, string key)
    {
        WebSocketClient connector = server.Server.CreateWebSocketClient();
        connector.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + key;
        MiniMaxSocketClient client = MiniMaxSocketClient.Over(await connector.ConnectAsync(new Uri(server.Server.BaseAddress, "ws/v1/t2a_v2"), CancellationToken.None));
        await client.ExpectAsync("connected_success");
        return client;
    }

    private static async Task<string> StartAsync(MiniMaxSocketClient client)
    {
        await client.SendAsync(new Dictionary<string, object>
        {
            ["event"] = "task_start", ["model"] = "speech-02-hd", ["voice_setting"] = new { voice_id = "flite:kal16" },
            ["audio_setting"] = new { format = "mp3", sample_rate = 32000 },
        });
        return (await client.ExpectAsync("task_started")).GetProperty("trace_id").GetString()!;
    }
}
