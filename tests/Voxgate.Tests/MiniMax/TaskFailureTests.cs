using System.Text.Json;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Tasks;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

[Collection(ApiCollection.Name)]
public class TaskFailureTests(VoxgateFactory factory)
{
    [Fact]
    public async Task ATaskThatCanNoLongerRunFailsAndItsHoldIsReleasedUncharged()
    {
        // A queued task whose voice the operator has since removed: created (and held for) like any task, then found
        // unplannable by the worker. It must fail for good, and the account must get its money back.
        string key = await factory.CreateKeyAsync("failing-task", "5.00");
        Account account = await factory.Service<AccountService>().GetAccountAsync("failing-task");
        WalletService wallets = factory.Service<WalletService>();
        long available = (await wallets.WalletAsync(account.Id)).AvailableMicros;

        var request = new SpeechRequest { Model = "flite", Voice = "flite:kal16", Input = "This voice will be gone by the time a worker runs it." };
        SpeechPlan plan = factory.Service<SpeechPlanner>().Plan(request);
        var task = new SpeechTask(RandomIds.Next(), account.Id, null, TaskState.Queued,
            JsonSerializer.Serialize(request with { Voice = "flite:removed-by-the-operator" }), plan.Text.Characters, RandomIds.Next(),
            0, plan.Text.Segments.Count, null, 0, DateTimeOffset.UtcNow, null);
        var caller = new Caller(CallerKind.Key, account.Id, account.Name, null, null, KeyScopes.Speech, int.MaxValue, int.MaxValue);
        await factory.Service<SpeechGateway>().AdmitTaskAsync(caller, plan, task.BillingId, TimeSpan.FromDays(1));
        Assert.True((await wallets.WalletAsync(account.Id)).AvailableMicros < available);
        await factory.Service<ITaskStore>().AddAsync(task);
        factory.Service<TaskSignal>().Notify();

        var api = new MiniMaxApi(factory.CreateClientWithKey(key));
        JsonElement failed = await api.WaitForTaskAsync(task.Id, TimeSpan.FromMinutes(1));

        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Contains("removed-by-the-operator", failed.GetProperty("error").GetString());
        Assert.Equal(available, (await wallets.WalletAsync(account.Id)).AvailableMicros);
        Assert.DoesNotContain(await wallets.LedgerAsync(account.Id, 1000), l => l.Kind == "charge");
    }
}
