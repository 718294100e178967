using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Catalog;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// A caller's <c>x-request-id</c> is only a correlation id: every request is billed under the server's own id. Before,
/// the caller's id keyed holds, charges and usage, so a repeated id made a request free (and a third one a 500).
/// </summary>
[Collection(SecondApiCollection.Name)]
public partial class RequestIdTests(VoxgateFactory factory)
{
    private const string CallerId = "my-retry-id-42";

    [GeneratedRegex("^req_[0-9a-f]{24}$")]
    private static partial Regex ServerId();

    /// <summary>A POST that carries the caller's <see cref="CallerId"/>.</summary>
    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path)
    {
        Content = HttpJson.Body(body),
        Headers = { { "x-request-id", CallerId } },
    };

    private static object OpenAiSpeech => new { model = "tts-1", input = "Hello there.", voice = "flite:kal16", response_format = "pcm" };

    private static object MiniMaxSpeech(bool stream) => new
    {
        model = "speech-02-hd",
        text = "Hello there.",
        stream,
        voice_setting = new { voice_id = "flite:kal16" },
        audio_setting = new { format = "mp3", sample_rate = 16000 },
    };

    private long Price(string model) => factory.Service<ModelCatalog>().Find(model)!.PricePer1KCharactersMicros;

    /// <summary>The server id of an answer: in x-voxgate-request-id, while x-request-id echoes the caller's.</summary>
    private static string ServerIdOf(HttpResponseMessage response)
    {
        Assert.Equal(CallerId, response.Headers.GetValues("x-request-id").Single());
        string serverId = response.Headers.GetValues("x-voxgate-request-id").Single();
        Assert.Matches(ServerId(), serverId);
        return serverId;
    }

    /// <summary>Waits for every request to be settled, then checks one charge line and one usage row per server id.</summary>
    private async Task AssertEachChargedOnceAsync(string account, IReadOnlyList<string> serverIds, long eachMicros)
    {
        // Settlement releases a request's hold and records its charge and usage in one transaction.
        await Eventually.HoldsAsync(async () => (await factory.WalletAsync(account)).HeldMicros == 0, $"every request of {account} settled");
        List<LedgerEntry> charges = await factory.ChargesAsync(account);
        Assert.Equal(serverIds.Order(), charges.Select(c => c.RequestId!).Order());
        Assert.All(charges, c => Assert.Equal(-eachMicros, c.AmountMicros));
        List<UsageRecord> usage = await factory.UsageRowsAsync(account);
        Assert.Equal(serverIds.Order(), usage.Select(u => u.RequestId).Order());
        Assert.All(usage, u => Assert.Equal((UsageStatus.Succeeded, eachMicros), (u.Status, u.CostMicros)));
    }

    [Fact]
    public async Task ThreeOpenAiRequestsWithOneCallerIdAreAllServedAndAllChargedUnderDistinctServerIds()
    {
        string key = await factory.CreateKeyAsync("openai-repeat", "5.00");
        HttpClient client = factory.CreateClient().WithKey(key);
        var serverIds = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.SendAsync(Post("/v1/audio/speech", OpenAiSpeech));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // old code: the third was a 500 (UNIQUE holds.request_id)
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
            serverIds.Add(ServerIdOf(response));
        }
        Assert.Equal(3, serverIds.Distinct().Count());

        // Old code: the second request was free (its id had been charged already).
        await AssertEachChargedOnceAsync("openai-repeat", serverIds, Money.Cost("Hello there.".Length, Price("tts-1")));
        await factory.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task TwoAccountsSendingOneCallerIdAreEachChargedForTheirOwnRequest()
    {
        string first = await factory.CreateKeyAsync("shared-id-a", "5.00");
        string second = await factory.CreateKeyAsync("shared-id-b", "5.00");
        using HttpResponseMessage a = await factory.CreateClient().WithKey(first).SendAsync(Post("/v1/audio/speech", OpenAiSpeech));
        using HttpResponseMessage b = await factory.CreateClient().WithKey(second).SendAsync(Post("/v1/audio/speech", OpenAiSpeech));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (a.StatusCode, b.StatusCode));

        long cost = Money.Cost("Hello there.".Length, Price("tts-1"));
        await AssertEachChargedOnceAsync("shared-id-a", [ServerIdOf(a)], cost);
        await AssertEachChargedOnceAsync("shared-id-b", [ServerIdOf(b)], cost);
        // $5 less the 5% top-up fee, less its own request only.
        Assert.Equal((4_750_000 - cost, 4_750_000 - cost), ((await factory.WalletAsync("shared-id-a")).BalanceMicros, (await factory.WalletAsync("shared-id-b")).BalanceMicros));
        await factory.AssertBooksSoundAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MiniMaxRequestsWithOneCallerIdAreAllChargedAndTraceIdIsTheServers(bool stream)
    {
        string account = stream ? "minimax-repeat-stream" : "minimax-repeat";
        string key = await factory.CreateKeyAsync(account, "5.00");
        HttpClient client = factory.CreateClient().WithKey(key);
        var serverIds = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.SendAsync(Post("/minimax/v1/t2a_v2", MiniMaxSpeech(stream)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string serverId = ServerIdOf(response);
            string body = await response.Content.ReadAsStringAsync();
            List<JsonElement> answers = stream ? MiniMaxApi.Events(body) : [JsonDocument.Parse(body).RootElement.Clone()];
            Assert.Equal(2, answers[^1].GetProperty("data").GetProperty("status").GetInt32());
            Assert.All(answers, answer =>
            {
                Assert.Equal(0, MiniMaxApi.StatusCode(answer)); // old code: 1000 or a free answer for a repeated id
                Assert.Equal(serverId, answer.GetProperty("trace_id").GetString()); // old code: the caller's id
            });
            serverIds.Add(serverId);
        }
        Assert.Equal(3, serverIds.Distinct().Count());

        await AssertEachChargedOnceAsync(account, serverIds, Money.Cost("Hello there.".Length, Price("speech-02-hd")));
        await factory.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task TwoTasksCreatedWithOneCallerIdAreBothHeldAndBothChargedUnderTheirTaskIds()
    {
        string key = await factory.CreateKeyAsync("task-repeat", "5.00");
        HttpClient client = factory.CreateClient().WithKey(key);
        const string text = "A task of a few words.";
        long cost = Money.Cost(text.Length, Price("flite"));
        long before = (await factory.WalletAsync("task-repeat")).AvailableMicros;
        var tasks = new List<long>();
        var serverIds = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage response = await client.SendAsync(Post("/minimax/v1/t2a_async_v2",
                new { model = "flite", text, voice_setting = new { voice_id = "flite:kal16" } }));
            string serverId = ServerIdOf(response);
            JsonElement created = MiniMaxApi.Ok(await response.JsonAsync());
            Assert.Equal(serverId, created.GetProperty("trace_id").GetString());
            tasks.Add(created.GetProperty("task_id").GetInt64());
            serverIds.Add(serverId);
        }
        Assert.NotEqual(tasks[0], tasks[1]);
        Assert.NotEqual(serverIds[0], serverIds[1]);
        // Both set aside at creation (held, or already charged if a worker was quick): neither is free.
        Assert.Equal(before - 2 * cost, (await factory.WalletAsync("task-repeat")).AvailableMicros);

        var api = new MiniMaxApi(client);
        foreach (long task in tasks)
        {
            Assert.Equal("Success", (await api.WaitForTaskAsync(task, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        }
        await AssertEachChargedOnceAsync("task-repeat", [.. tasks.Select(t => $"task-{t}")], cost);
        Assert.Equal(before - 2 * cost, (await factory.WalletAsync("task-repeat")).BalanceMicros);
        await factory.AssertBooksSoundAsync();
    }
}
