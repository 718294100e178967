using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>A server of its own: these tests break its books on purpose.</summary>
public sealed class BrokenBooksFactory : VoxgateFactory;

public class AuditTests(BrokenBooksFactory factory) : IClassFixture<BrokenBooksFactory>
{
    // Old code had no audit at all (neither the command nor the endpoint existed).
    [Fact]
    public async Task TheAuditPassesSoundBooksAndReportsEachBrokenInvariantInTheCliAndTheEndpoint()
    {
        long account = (await factory.Service<AccountService>().GetAccountAsync(VoxgateFactory.AccountName)).Id;
        using (HttpResponseMessage speech = await factory.CreateClient().PostSpeechAsync(new { model = "tts-1", input = "Charged and recorded.", voice = "alloy" }))
        {
            Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        }
        await Eventually.HoldsAsync(async () => (await factory.Service<IUsageStore>().RecentAsync(account, 10)).Any(u => u.CostMicros > 0)
            && (await factory.Service<WalletService>().WalletAsync(account)).HeldMicros == 0, "the request settled");

        (int exit, string stdout, string stderr) = await AuditCliAsync();
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Audit: the books are sound.", stdout);
        JsonElement sound = await AuditEndpointAsync();
        Assert.True(sound.GetProperty("ok").GetBoolean(), sound.ToString());
        Assert.Empty(sound.GetProperty("findings").EnumerateArray());

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var broken = new List<string>();
        var breakages = new (string Check, string Sql)[]
        {
            // A charge with no usage row (the balance follows the ledger, so only this check can see it).
            ("charge_has_usage", $"""
                INSERT INTO ledger (account_id, kind, amount_micros, request_id, created_at) VALUES ({account}, 'charge', -1000, 'req_orphan', {now});
                UPDATE accounts SET balance_micros = balance_micros - 1000 WHERE id = {account};
                """),
            ("balance_is_ledger_sum", $"UPDATE accounts SET balance_micros = balance_micros + 1 WHERE id = {account};"),
            // A hold whose request's process died an hour ago.
            ("hold_within_lifetime", $"""
                INSERT INTO holds (account_id, amount_micros, request_id, created_at, expires_at) VALUES ({account}, 500, 'req_stale', {now - 7_200_000}, {now - 3_600_000});
                """),
            // A failed task that was charged anyway (with its usage row and balance consistent, so only this check can see it).
            ("failed_task_uncharged", $"""
                INSERT INTO tasks (id, account_id, status, request, characters, result_file_id, created_at, updated_at, finished_at)
                    VALUES (7777, {account}, 'failed', '{"{}"}', 10, 7778, {now}, {now}, {now});
                INSERT INTO ledger (account_id, kind, amount_micros, request_id, created_at) VALUES ({account}, 'charge', -50, 'task-7777', {now});
                UPDATE accounts SET balance_micros = balance_micros - 50 WHERE id = {account};
                INSERT INTO usage (request_id, account_id, model, characters, cost_micros, byok, status, latency_ms, created_at)
                    VALUES ('task-7777', {account}, 'voxgate/flite', 10, 50, 0, 'failed', 0, {now});
                """),
        };
        foreach ((string check, string sql) in breakages)
        {
            await ExecuteAsync(sql);
            broken.Add(check);

            (exit, stdout, stderr) = await AuditCliAsync();
            Assert.True(exit == 1, $"{check}: exit {exit}\n{stdout}{stderr}");
            string[] findings = [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("Audit:", StringComparison.Ordinal))];
            Assert.Single(findings, l => l.StartsWith(check + ": ", StringComparison.Ordinal));
            Assert.Equal(broken.Order(), findings.Select(l => l[..l.IndexOf(':')]).Order());
            Assert.Contains($"Audit: {broken.Count} finding(s).", stdout);

            JsonElement audit = await AuditEndpointAsync();
            Assert.False(audit.GetProperty("ok").GetBoolean());
            Assert.Equal(broken.Order(), audit.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("check").GetString()!).Order());
        }
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> AuditCliAsync() =>
        CliRunner.RunAsync(factory.DataDirectory, null, null, "audit", "--data", factory.DataDirectory);

    private async Task<JsonElement> AuditEndpointAsync()
    {
        using HttpResponseMessage response = await factory.CreateClientWithKey(VoxgateFactory.AdminKey).GetAsync("/admin/audit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = await factory.Service<IDatabase>().OpenAsync(CancellationToken.None);
        await using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
