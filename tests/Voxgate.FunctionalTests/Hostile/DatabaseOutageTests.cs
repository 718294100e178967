using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// PostgreSQL stopped for a few seconds under traffic: requests get 503 in each API's format (never a 500, never a
/// crash), <c>/readyz</c> says why, the node recovers by itself when the database returns, and in the end every answer
/// a client received is charged exactly once (the settlements of requests in flight at the stop wait for it).
/// </summary>
public class DatabaseOutageTests
{
    private sealed class PostgresNodeFactory(string connectionString) : VoxgateFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Storage:Database", "postgres:" + connectionString)];
    }

    private sealed record Outcome(bool MiniMax, HttpStatusCode Status, string Code);

    [Fact]
    public async Task StoppingPostgresUnderTrafficAnswers503AndRecoversWithNothingLostOrChargedTwice()
    {
        using PostgresServer postgres = await PostgresServer.StartNewAsync();
        using var factory = new PostgresNodeFactory(await postgres.CreateDatabaseAsync("outage"));
        var outcomes = new ConcurrentQueue<Outcome>();
        using var stopTraffic = new CancellationTokenSource();
        Task[] clients = [.. Enumerable.Range(0, 4).Select(i => SendUntilStoppedAsync(factory.CreateClient(), miniMax: i % 2 == 1, outcomes, stopTraffic.Token))];

        int Count(Func<Outcome, bool> which) => outcomes.Count(which);
        string Seen() => string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Key}×{g.Count()}"));
        await Eventually.HoldsAsync(() => Count(o => o.Code == "ok") >= 6, "traffic flows before the outage", context: Seen);

        postgres.Stop();
        int okBefore = Count(o => o.Code == "ok");
        await Eventually.HoldsAsync(() => Count(o => o.Code == "database_unavailable") >= 3 && Count(o => o.Code == "1001") >= 3,
            "both surfaces answer 503 while the database is away", context: Seen);
        using (HttpResponseMessage ready = await factory.CreateClient().GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            JsonElement database = (await ready.JsonAsync()).GetProperty("database");
            Assert.False(database.GetProperty("reachable").GetBoolean());
            Assert.False(string.IsNullOrEmpty(database.GetProperty("problem").GetString()));
        }

        postgres.Start();
        await Eventually.HoldsAsync(() => Count(o => o.Code == "ok") >= okBefore + 6, "traffic flows again after the outage", context: Seen);
        await stopTraffic.CancelAsync();
        await Task.WhenAll(clients);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/readyz")).StatusCode);

        // Nothing but successes and the outage's 503s, in each API's own form.
        Assert.All(outcomes, o => Assert.Contains(o.Code, new[] { "ok", "database_unavailable", "1001" }));
        Assert.All(outcomes.Where(o => !o.MiniMax && o.Code != "ok"), o => Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Status));

        // Every answer received is in the books once: the settlements that waited for the database have landed.
        int received = Count(o => o.Code == "ok");
        await Eventually.HoldsAsync(async () => (await factory.UsageRowsAsync(VoxgateFactory.AccountName)).Count == received,
            $"usage rows for all {received} answers received");
        List<UsageRecord> usage = await factory.UsageRowsAsync(VoxgateFactory.AccountName);
        Assert.All(usage, row => Assert.Equal(UsageStatus.Succeeded, row.Status));
        Assert.Equal(received, (await factory.ChargesAsync(VoxgateFactory.AccountName)).Count);
        Assert.Equal(0, (await factory.WalletAsync(VoxgateFactory.AccountName)).HeldMicros);
        await factory.AssertBooksSoundAsync();
    }

    /// <summary>Sends speech requests one after another, reading each answer whole, until stopped.</summary>
    private static async Task SendUntilStoppedAsync(HttpClient client, bool miniMax, ConcurrentQueue<Outcome> outcomes, CancellationToken stop)
    {
        object body = miniMax
            ? new { model = "speech-02-hd", text = "Hello there.", voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "mp3" } }
            : new { model = "tts-1", input = "Hello there.", voice = "flite:kal16", response_format = "pcm" };
        string route = miniMax ? "/minimax/v1/t2a_v2" : "/v1/audio/speech";
        while (!stop.IsCancellationRequested)
        {
            using HttpResponseMessage response = await client.PostAsync(route, HttpJson.Body(body), CancellationToken.None);
            byte[] content = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            outcomes.Enqueue(new Outcome(miniMax, response.StatusCode, CodeOf(miniMax, response, content)));
            if (response.StatusCode != HttpStatusCode.OK || miniMax && !content.AsSpan().StartsWith("{\"data\""u8))
            {
                await Task.Delay(20, CancellationToken.None); // as a client backing off
            }
        }
    }

    private static string CodeOf(bool miniMax, HttpResponseMessage response, byte[] content)
    {
        if (miniMax)
        {
            using JsonDocument answer = JsonDocument.Parse(content);
            int code = answer.RootElement.GetProperty("base_resp").GetProperty("status_code").GetInt32();
            return code == 0 ? "ok" : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return content.Length > 0 ? "ok" : "empty";
        }
        using JsonDocument error = JsonDocument.Parse(content);
        return error.RootElement.GetProperty("error").GetProperty("code").GetString() ?? "null";
    }
}
