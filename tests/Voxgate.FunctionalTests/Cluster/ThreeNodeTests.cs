using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using Voxgate.Gateway.Accounts;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Cluster;

/// <summary>
/// Three nodes on one PostgreSQL and one Redis behind nginx, all on this machine's loopback (Unix sockets), started by
/// <c>scripts/cluster.sh</c> as an operator starts them. Task leases are short so that a killed node's task moves on
/// quickly.
/// </summary>
public sealed class ThreeNodeCluster : TryOutCluster
{
    protected override int NodeCount => 3;

    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Tasks__Lease", "00:00:04"),
        new("Voxgate__Tasks__PollInterval", "00:00:00.250"),
    ];
}

/// <summary>
/// The gateway as several nodes: what one node knows every node knows, the limits hold across them, money never
/// leaks however the requests are spread, and a killed node's task finishes elsewhere, charged once. Every test ends
/// with <c>voxgate audit</c> against the shared database finding nothing, and leaves all three nodes running.
/// </summary>
public class ThreeNodeTests(ThreeNodeCluster cluster) : IClassFixture<ThreeNodeCluster>
{
    private static object Speech(string text) => new { model = "flite", input = text, voice = "flite:kal16", response_format = "pcm" };

    [Fact]
    public async Task AKeyMadeOnOneNodeWorksOnEveryNodeAndARevocationStopsItOnEvery()
    {
        using HttpClient firstAdmin = cluster.NodeClient("node-1").WithKey(cluster.AdminKey);
        string key = await AdminApi.CreateFundedKeyAsync(firstAdmin, "everywhere", "1.00");

        foreach (string node in cluster.Nodes)
        {
            using HttpClient client = cluster.NodeClient(node).WithKey(key);
            using HttpResponseMessage speech = await client.PostSpeechAsync(Speech($"Hello from {node}."));
            Assert.True(speech.StatusCode == HttpStatusCode.OK, $"{node}: {await speech.Content.ReadAsStringAsync()}");
        }

        using HttpClient lastAdmin = cluster.NodeClient("node-3").WithKey(cluster.AdminKey);
        Assert.True((await lastAdmin.PostAsync($"admin/keys/{ApiKeyFormat.Prefix(key)}/revoke", null)).IsSuccessStatusCode);
        foreach (string node in cluster.Nodes)
        {
            using HttpClient client = cluster.NodeClient(node).WithKey(key);
            using HttpResponseMessage refused = await client.PostSpeechAsync(Speech("Still there?"));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("revoked_api_key", (await refused.ErrorAsync()).GetProperty("code").GetString());
        }
        await AssertAuditCleanAsync();
    }

    [Fact]
    public async Task FourRequestsAMinuteAreFourAcrossAllNodes()
    {
        string key = await cluster.CreateFundedKeyAsync("four-a-minute", "1.00", requestsPerMinute: 4);

        // Twelve requests at once, four to each node directly: exactly four pass, whichever nodes they reach.
        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using HttpClient client = cluster.NodeClient(cluster.Nodes[i % 3]).WithKey(key);
            return await client.PostSpeechAsync(Speech("One of twelve."));
        }));
        Assert.Equal(4, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        HttpResponseMessage[] refused = [.. answers.Where(a => a.StatusCode != HttpStatusCode.OK)];
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        foreach (HttpResponseMessage response in refused)
        {
            Assert.Equal("requests_per_minute_exceeded", (await response.ErrorAsync()).GetProperty("code").GetString());
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 without Retry-After");
        }

        // Through nginx too: the key's minute is spent on every node.
        using HttpClient balanced = cluster.Client().WithKey(key);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, (await balanced.PostSpeechAsync(Speech("Again."))).StatusCode);
        }
        await AssertAuditCleanAsync();
    }

    [Fact]
    public async Task ThreeHundredConcurrentRequestsOverTheNodesNeverOverspendAWalletThatCoversFifty()
    {
        // Many requests in flight at once are the point here: the account's concurrency limit is set out of the way.
        using (HttpClient admin = cluster.AdminClient())
        {
            Assert.True((await admin.PostAsync("admin/accounts", HttpJson.Body(new { name = "fifty", concurrent_requests = 1000 }))).IsSuccessStatusCode);
        }
        // 200 characters of flite at $0.005 per 1K cost 1,000 micro-dollars; $0.052632 less its 5% fee leaves 50,000.
        string key = await cluster.CreateFundedKeyAsync("fifty", "0.052632");
        long before = (await cluster.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        Assert.Equal(50_000, before);
        string text = string.Concat(Enumerable.Repeat("Hello there. ", 20))[..200];

        var statuses = new ConcurrentBag<(HttpStatusCode Status, string Code)>();
        using HttpClient client = cluster.Client(TimeSpan.FromMinutes(5)).WithKey(key);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
        {
            using HttpResponseMessage response = await client.PostSpeechAsync(Speech(text));
            string code = response.StatusCode == HttpStatusCode.OK
                ? (await response.Content.ReadAsByteArrayAsync()).Length > 0 ? "ok" : "empty"
                : (await response.ErrorAsync()).GetProperty("code").GetString() ?? "";
            statuses.Add((response.StatusCode, code));
        }));

        int served = statuses.Count(s => s.Code == "ok");
        string seen = string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}"));
        Assert.InRange(served, 1, 50);
        Assert.Contains(statuses, s => s.Status == HttpStatusCode.PaymentRequired);
        Assert.All(statuses, s => Assert.Contains(s.Code, new[] { "ok", "insufficient_credits", "engine_saturated" }));

        // Settlements land just after the last byte; then the books are exact.
        await Eventually.HoldsAsync(async () => (await cluster.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0, "every hold settled", context: () => seen);
        JsonElement wallet = await cluster.WalletAsync(key);
        long balance = wallet.GetProperty("balance_micros").GetInt64();
        Assert.True(balance >= 0, $"the wallet went negative: {balance}");
        List<JsonElement> charges = await cluster.ChargesAsync("fifty");
        Assert.Equal(served, charges.Count);
        Assert.Equal(before - balance, -charges.Sum(c => c.GetProperty("amount_micros").GetInt64()));
        Assert.All(charges, c => Assert.Equal(-1_000, c.GetProperty("amount_micros").GetInt64()));
        (long usageRows, long usageCost) = await QueryRowAsync(
            "SELECT count(*), COALESCE(sum(u.cost_micros), 0) FROM usage u JOIN accounts a ON a.id = u.account_id WHERE a.name = 'fifty' AND u.status = 'succeeded'",
            r => (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)));
        Assert.Equal((served, before - balance), (usageRows, usageCost));
        await AssertAuditCleanAsync();
    }

    [Fact]
    public async Task ATaskWhoseNodeIsKilledFinishesOnAnotherDownloadableThroughAnyNodeAndChargedOnce()
    {
        string key = await cluster.CreateFundedKeyAsync("survivor", "5.00");
        var api = new MiniMaxApi(cluster.Client().WithKey(key));
        string text = LongText.Make(30_000, seed: 11);
        long inputFileId = MiniMaxApi.Ok(await api.UploadAsync("chapter.txt", MiniMaxApi.Utf8(text))).GetProperty("file").GetProperty("file_id").GetInt64();
        JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", new
        {
            model = "flite", text_file_id = inputFileId,
            voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "mp3", audio_sample_rate = 16000, channel = 1 },
        }));
        long taskId = created.GetProperty("task_id").GetInt64();

        // Kill the node whose worker holds the task, once it has made progress.
        string? worker = null;
        await Eventually.HoldsAsync(async () =>
        {
            (string? owner, long done) = await LeaseAsync(taskId);
            worker = owner?.Split('/')[0];
            return worker is not null && done > 0;
        }, "a worker is part-way through the task", context: () => cluster.LogTails());
        cluster.Kill(worker!);
        try
        {
            JsonElement finished = await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(5));
            Assert.Equal("Success", finished.GetProperty("status").GetString());
            long attempts = await QueryRowAsync($"SELECT attempts FROM tasks WHERE id = {taskId}", r => Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture));
            Assert.Equal(2, attempts); // claimed by the killed node, then once more by another

            // The result is one file every node serves, by key and by signed link.
            long resultFileId = finished.GetProperty("file_id").GetInt64();
            JsonElement file = MiniMaxApi.Ok(await api.GetAsync($"files/retrieve?file_id={resultFileId}")).GetProperty("file");
            string link = new Uri(file.GetProperty("download_url").GetString()!).PathAndQuery;
            byte[]? first = null;
            foreach (string node in cluster.Nodes.Where(n => n != worker))
            {
                using HttpClient anonymous = cluster.NodeClient(node);
                byte[] tar = await anonymous.GetByteArrayAsync(link);
                first ??= tar;
                Assert.Equal(first, tar);
            }
            Assert.Equal(file.GetProperty("bytes").GetInt64(), first!.Length);
            Dictionary<string, byte[]> entries = await MiniMaxApi.UntarAsync(first);
            ProbeResult probe = await AudioProbe.ProbeAsync(entries[$"{taskId}.mp3"], "mp3");
            Assert.True(probe.DecodedDuration > TimeSpan.FromMinutes(10), $"30,000 characters gave {probe.DecodedDuration}");

            List<JsonElement> charges = await cluster.ChargesAsync("survivor", $"task-{taskId}");
            Assert.Equal(-30_000 * 5_000 / 1_000, Assert.Single(charges).GetProperty("amount_micros").GetInt64());
            Assert.Equal(0, (await cluster.WalletAsync(key)).GetProperty("held_micros").GetInt64());
        }
        finally
        {
            await cluster.StartAsync(); // the killed node comes back: the next test has three again
        }
        await AssertAuditCleanAsync();
    }

    /// <summary><c>voxgate audit</c> on the shared database, as an operator runs it: nothing found.</summary>
    private async Task AssertAuditCleanAsync()
    {
        (int exit, string stdout, string stderr) = await CliRunner.RunAsync(cluster.Directory, null, null,
            "audit", "--database", "postgres:" + cluster.DatabaseConnectionString);
        Assert.True(exit == 0, $"voxgate audit found something:\n{stdout}\n{stderr}");
    }

    private Task<(string? Owner, long SegmentsDone)> LeaseAsync(long taskId) =>
        QueryRowAsync($"SELECT lease_owner, segments_done FROM tasks WHERE id = {taskId}", r => (r.IsDBNull(0) ? null : r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)));

    /// <summary>One row of the shared database, read as the test needs it.</summary>
    private async Task<T> QueryRowAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(cluster.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return read(reader);
    }
}
