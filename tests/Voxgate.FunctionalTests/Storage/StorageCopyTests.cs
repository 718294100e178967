using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Storage;

/// <summary>
/// A server on a data directory the test keeps, on the database it names (SQLite in that directory when none), with a
/// MiniMax provider known (without an address, so speech stays local) so that customers can attach their own keys.
/// </summary>
public sealed class KeptDataFactory(string dataDirectory, string? database, bool seedsTestsAccount) : VoxgateFactory(dataDirectory, ownsDataDirectory: false)
{
    protected override bool SeedsTestsAccount => seedsTestsAccount;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Voxgate:Upstreams:minimax:Kind", "MiniMax"),
        .. database is null ? [] : new[] { new KeyValuePair<string, string?>("Voxgate:Storage:Database", database) },
    ];
}

/// <summary>
/// <c>voxgate storage copy</c> as an operator moving up runs it: a SQLite server used through its API, stopped, its
/// database copied into a fresh PostgreSQL database, and a server started on the copy that knows the same keys,
/// balances, links and provider keys, keeps charging, and whose books the auditor finds sound.
/// </summary>
public class StorageCopyTests
{
    private const string Account = "moving";
    private const string ProviderKey = "mm-customer-own-provider-key-0042";

    private static readonly SpeechBody s_speech = new("tts-1", "Moving from one machine to several.", "flite:kal16", "wav");

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "The request's own field names.")]
    private sealed record SpeechBody(string model, string input, string voice, string response_format);

    [Fact]
    public async Task AServerOnTheCopyKnowsTheSameKeysBalancesLinksAndProviderKeysAndKeepsCharging()
    {
        string data = Directory.CreateTempSubdirectory("voxgate-copy-").FullName;
        try
        {
            string key, link, voiceId;
            byte[] linkedAudio;
            WalletState walletBefore;
            List<LedgerEntry> ledgerBefore;
            int usageBefore;
            List<(string Request, int? FirstByteMs, int? AudioMs)> measuredBefore;
            await using (var sqlite = new KeptDataFactory(data, database: null, seedsTestsAccount: true))
            {
                key = await sqlite.CreateKeyAsync(Account, "5.00");
                HttpClient client = sqlite.CreateClientWithKey(key);
                for (int i = 0; i < 3; i++)
                {
                    using HttpResponseMessage speech = await client.PostSpeechAsync(s_speech);
                    Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
                }
                var miniMax = new MiniMaxApi(client);
                link = MiniMaxApi.Ok(await miniMax.PostAsync("t2a_v2", new
                {
                    model = "speech-02-hd",
                    text = "A link signed before the copy.",
                    output_format = "url",
                    voice_setting = new { voice_id = "flite:kal16", speed = 1.0, vol = 1.0, pitch = 0 },
                    audio_setting = new { sample_rate = 16000, bitrate = 128000, format = "flac", channel = 1 },
                })).GetProperty("data").GetProperty("audio").GetString()!;
                linkedAudio = await sqlite.CreateClientWithKey(null).GetByteArrayAsync(link);
                long taskId = MiniMaxApi.Ok(await miniMax.PostAsync("t2a_async_v2", new
                {
                    model = "flite",
                    text = "A task whose result file is copied with its row.",
                    voice_setting = new { voice_id = "flite:kal16", speed = 1.0, vol = 1.0, pitch = 0 },
                    audio_setting = new { audio_sample_rate = 16000, bitrate = 128000, format = "mp3", channel = 1 },
                })).GetProperty("task_id").GetInt64();
                Assert.Equal("Success", (await miniMax.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
                // A designed voice (its trial is a sixth request, charged): the voices table is copied with the rest.
                voiceId = MiniMaxApi.Ok(await miniMax.PostAsync("voice_design", new { prompt = "a deep, slow male voice", preview_text = "Moving on." }))
                    .GetProperty("voice_id").GetString()!;
                using (HttpResponseMessage attached = await client.PutAsync("/v1/provider-keys/minimax", HttpJson.Body(new { api_key = ProviderKey })))
                {
                    Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
                }
                // A refusal (no credit), counted in the refusals table.
                string broke = await sqlite.CreateKeyAsync("broke");
                using (HttpResponseMessage refused = await sqlite.CreateClientWithKey(broke).PostSpeechAsync(s_speech))
                {
                    Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
                }
                await sqlite.Service<RefusalCounter>().FlushAsync();
                // Three speeches, the linked one, the task and the voice's trial: each settles just after its answer.
                await Eventually.HoldsAsync(async () => (await sqlite.UsageRowsAsync(Account)).Count == 6 && (await sqlite.WalletAsync(Account)).HeldMicros == 0,
                    "every request settled");
                walletBefore = await sqlite.WalletAsync(Account);
                ledgerBefore = [.. await sqlite.Service<IBillingStore>().GetLedgerAsync(await sqlite.AccountIdAsync(Account), 1000)];
                usageBefore = (await sqlite.UsageRowsAsync(Account)).Count;
                measuredBefore = [.. (await sqlite.UsageRowsAsync(Account)).Select(u => (u.RequestId, u.FirstByteMs, u.AudioMs))];
                Assert.Contains(measuredBefore, m => m.FirstByteMs is not null && m.AudioMs > 0); // a speech's measurements
                await sqlite.AssertBooksSoundAsync();
            }

            string target = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("copy");
            var address = new NpgsqlConnectionStringBuilder(target);
            (int exit, string stdout, string stderr) = await CliRunner.RunAsync(data, null, null, "storage", "copy",
                "--from", $"sqlite:{Path.Combine(data, "voxgate.db")}", "--to", $"postgres://{address.Username}@localhost/{address.Database}?host={address.Host}");

            Assert.True(exit == 0, stderr + stdout);
            Dictionary<string, (long Source, long Target)> tables = Regex.Matches(stdout, @"^(\w+)\s+(\d+)\s+(\d+)\s*$", RegexOptions.Multiline)
                .ToDictionary(m => m.Groups[1].Value, m => (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
            Assert.All(tables, t => Assert.Equal(t.Value.Source, t.Value.Target));
            foreach (string table in new[] { "accounts", "api_keys", "ledger", "usage", "refusals", "provider_keys", "files", "tasks", "voices", "secrets" })
            {
                Assert.True(tables.GetValueOrDefault(table).Source > 0, $"{table} copied no rows: {stdout}");
            }
            Assert.Equal(3, tables["accounts"].Source); // tests, moving, broke
            Assert.Contains("master.key copied", stdout);
            // Nothing secret is printed: neither the master key, nor an API key, nor a provider key.
            string masterKey = (await File.ReadAllTextAsync(Path.Combine(data, "master.key"))).Trim();
            foreach (string secret in new[] { masterKey, key, ProviderKey })
            {
                Assert.DoesNotContain(secret, stdout + stderr);
            }

            await using var postgres = new KeptDataFactory(data, "postgres:" + target, seedsTestsAccount: false);
            long accountId = await postgres.AccountIdAsync(Account);
            Assert.Equal(measuredBefore, (await postgres.UsageRowsAsync(Account)).Select(u => (u.RequestId, u.FirstByteMs, u.AudioMs)));
            Assert.Equal(walletBefore, await postgres.WalletAsync(Account));
            // The link was signed with the SQLite server's master key, which the copy carried into the database.
            Assert.Equal(linkedAudio, await postgres.CreateClientWithKey(null).GetByteArrayAsync(link));
            Assert.Equal(ProviderKey, await postgres.Service<ProviderKeyService>().FindAsync(accountId, "minimax"));

            using (HttpResponseMessage speech = await postgres.CreateClientWithKey(key).PostSpeechAsync(s_speech with { voice = voiceId }))
            {
                Assert.Equal(HttpStatusCode.OK, speech.StatusCode); // the designed voice, from the copied voices table
            }
            await Eventually.HoldsAsync(async () => (await postgres.UsageRowsAsync(Account)).Count == usageBefore + 1, "the new request settled");
            List<LedgerEntry> ledgerAfter = [.. await postgres.Service<IBillingStore>().GetLedgerAsync(accountId, 1000)];
            LedgerEntry charge = Assert.Single(ledgerAfter, l => ledgerBefore.All(b => b.Id != l.Id));
            Assert.Equal("charge", charge.Kind);
            Assert.True(charge.Id > ledgerBefore.Max(l => l.Id), "the ledger's ids go on after the copied ones");
            Assert.Equal(walletBefore.BalanceMicros + charge.AmountMicros, (await postgres.WalletAsync(Account)).BalanceMicros);
            Assert.True(charge.AmountMicros < 0);
            // New rows of every kind take ids after the copied ones: an account, its key, its top-up.
            await postgres.CreateKeyAsync("arrived-after", "1.00");
            await postgres.AssertBooksSoundAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
