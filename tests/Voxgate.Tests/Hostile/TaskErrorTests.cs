using System.Text.Json;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>A server whose tasks fail for good on their first failed run.</summary>
public sealed class SingleAttemptTaskFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Tasks:MaxAttempts", "1")];
}

public class TaskErrorTests(SingleAttemptTaskFactory factory) : IClassFixture<SingleAttemptTaskFactory>
{
    // Old code: the task's error was the exception's message, which named the server's files (its data directory path).
    [Fact]
    public async Task AResultThatCannotBeStoredFailsTheTaskWithAMessageFreeOfServerPathsAndChargesNothing()
    {
        string key = await factory.CreateKeyAsync("unstorable", "1.00");
        long account = (await factory.Service<AccountService>().GetAccountAsync("unstorable")).Id;
        var api = new MiniMaxApi(factory.CreateClientWithKey(key));

        // The results' directory is a regular file: nothing can be written under it.
        string files = Path.Combine(factory.DataDirectory, "files");
        string aside = files + ".aside";
        bool moved = Directory.Exists(files);
        if (moved)
        {
            Directory.Move(files, aside);
        }
        await File.WriteAllTextAsync(files, "not a directory");
        try
        {
            JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", new
            {
                model = "flite", text = "A result with nowhere to go.", voice_setting = new { voice_id = "flite:kal16" },
            }));
            long taskId = created.GetProperty("task_id").GetInt64();
            JsonElement task = await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(1));

            Assert.Equal("Failed", task.GetProperty("status").GetString());
            string error = task.GetProperty("error").GetString()!;
            Assert.Contains("result could not be stored", error);
            Assert.Contains($"task-{taskId}", error);
            Assert.DoesNotContain(factory.DataDirectory, error);
            Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), error);
            Assert.DoesNotContain('/', error); // no path of the server's, absolute or relative

            await Eventually.HoldsAsync(async () => (await factory.Service<IUsageStore>().RecentAsync(account, 10))
                .Any(u => u.RequestId == $"task-{taskId}" && u.Status == UsageStatus.Failed && u.CostMicros == 0), "the failed task's usage row");
            Assert.Equal(0, (await factory.Service<WalletService>().WalletAsync(account)).HeldMicros);
            Assert.DoesNotContain(await factory.Service<WalletService>().LedgerAsync(account), e => e.Kind == "charge");
            Assert.Empty(await factory.Service<IMoneyAuditor>().AuditAsync(DateTimeOffset.UtcNow));
        }
        finally
        {
            File.Delete(files);
            if (moved)
            {
                Directory.Move(aside, files);
            }
        }
    }
}
