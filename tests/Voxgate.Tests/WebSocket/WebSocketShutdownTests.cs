using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebSocket;

public class WebSocketShutdownTests
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("The server is about to stop, long before this text ends. ", 40));

    [Fact]
    public async Task AServerThatStopsEndsItsTasksWithTaskFailedAndSettlesThemForTheAudioSent()
    {
        string data = Directory.CreateTempSubdirectory("voxgate-ws-stop-").FullName;
        try
        {
            await StopMidTaskAsync(data);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A server on a directory it leaves behind, so that another can read its books afterwards.</summary>
    private sealed class Server(string data, bool seeds) : VoxgateFactory(data, ownsDataDirectory: false)
    {
        protected override bool SeedsTestsAccount => seeds;
    }

    private static async Task StopMidTaskAsync(string data)
    {
        string traceId;
        int spoken;
        using (var factory = new Server(data, seeds: true))
        {
            (traceId, spoken) = await StopAsync(factory);
        }
        // The stopped server settled the task before it told the client: its books, read by the next server, say so.
        using var next = new Server(data, seeds: false);
        long account = (await next.Service<AccountService>().GetAccountAsync(VoxgateFactory.AccountName)).Id;
        Assert.Equal(0, (await next.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).HeldMicros);
        UsageRecord usage = Assert.Single(await next.Service<IUsageStore>().RecentAsync(account, 10), u => u.RequestId == traceId);
        Assert.Equal(UsageStatus.Cancelled, usage.Status);
        // Exactly the characters whose audio the client was sent before the stop (all of them, if the engine finished
        // the text first: the task was still open, so it ends the same way), not the text it was given.
        Assert.InRange(spoken, 1, Text.Length);
        Assert.Equal(spoken * 100L, usage.CostMicros);
        Assert.Empty(await next.Service<IMoneyAuditor>().AuditAsync(DateTimeOffset.UtcNow));
    }

    /// <summary>Stops the server mid-task; returns the task's trace id and the characters its audio events reported.</summary>
    private static async Task<(string TraceId, int Spoken)> StopAsync(VoxgateFactory factory)
    {
        WebSocketClient connector = factory.Server.CreateWebSocketClient();
        connector.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + factory.ApiKey;
        System.Net.WebSockets.WebSocket socket = await connector.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/v1/t2a_v2"), CancellationToken.None);
        await using MiniMaxSocketClient client = MiniMaxSocketClient.Over(socket);
        await client.ExpectAsync("connected_success");
        await client.SendAsync(new Dictionary<string, object>
        {
            ["event"] = "task_start", ["model"] = "speech-02-hd", ["voice_setting"] = new { voice_id = "flite:kal16" },
        });
        string traceId = (await client.ExpectAsync("task_started")).GetProperty("trace_id").GetString()!;
        await client.SendTextAsync(Text);
        int spoken = Characters(await client.ExpectSpokenAsync());

        factory.Service<IHostApplicationLifetime>().StopApplication();
        JsonElement? failed = null;
        while (await client.ReceiveAsync() is { } message)
        {
            failed = message;
            if (MiniMaxSocketClient.Event(message) == "task_continued")
            {
                spoken += Characters(message);
            }
            if (MiniMaxSocketClient.Event(message) == "task_failed")
            {
                break;
            }
        }
        Assert.NotNull(failed);
        Assert.Equal(("task_failed", 1000), (MiniMaxSocketClient.Event(failed.Value), MiniMaxSocketClient.StatusCode(failed.Value)));

        return (traceId, spoken);
    }

    private static int Characters(JsonElement continued) => continued.GetProperty("extra_info").GetProperty("usage_characters").GetInt32();
}
