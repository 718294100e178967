using System.Net;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Saturation;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>A server with one Flite turn and room for a few new requests to wait for it.</summary>
public sealed class OneFliteTurnFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Voxgate:Saturation:Engines:flite:MaxConcurrent", "1"),
        new("Voxgate:Saturation:Engines:flite:MaxQueued", "5"),
    ];
}

public class QueuedCancellationTests(OneFliteTurnFactory factory) : IClassFixture<OneFliteTurnFactory>
{
    // Old code: a caller that gave up while queued left its hold for the hold's whole lifetime (15 minutes) and no usage row.
    [Fact]
    public async Task ACallerCancelledWhileQueuedForAnEngineGetsItsHoldBackAtOnceAndIsRecordedAsCancelled()
    {
        string key = await factory.CreateKeyAsync("queued-cancel", "1.00");
        long account = (await factory.Service<AccountService>().GetAccountAsync("queued-cancel")).Id;
        WalletService wallets = factory.Service<WalletService>();
        EngineAdmission admission = factory.Service<EngineAdmission>();
        HttpClient client = factory.CreateClientWithKey(key);
        object body = new { model = "tts-1", input = "Waiting in the queue for an engine.", voice = "flite:slt" };

        IDisposable turn = (await admission.TryEnterAsync("flite", CancellationToken.None))!;
        Assert.NotNull(turn);
        using var giveUp = new CancellationTokenSource();
        Task<HttpResponseMessage> queued = client.PostAsync("/v1/audio/speech", HttpJson.Body(body), giveUp.Token);
        try
        {
            await Eventually.HoldsAsync(() => admission.Load.TryGetValue("flite", out EngineLoad load) && load.New == 1, "the request waits for the turn");
            Assert.True((await wallets.WalletAsync(account)).HeldMicros > 0, "money is held while the request waits");

            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);

            // Well within the hold's 15-minute lifetime: released by the cancellation itself.
            await Eventually.HoldsAsync(async () => (await wallets.WalletAsync(account)).HeldMicros == 0, "the hold is released");
            await Eventually.HoldsAsync(async () => (await factory.Service<IUsageStore>().RecentAsync(account, 10))
                .Any(u => u.Status == UsageStatus.Cancelled && u.CostMicros == 0), "a cancelled usage row, charged nothing");
            Assert.Equal(0, admission.Load["flite"].New);
            Assert.DoesNotContain(await wallets.LedgerAsync(account), e => e.Kind == "charge");
        }
        finally
        {
            turn.Dispose();
        }

        using HttpResponseMessage later = await client.PostSpeechAsync(body);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        await Eventually.HoldsAsync(async () => (await factory.Service<IUsageStore>().RecentAsync(account, 10)).Any(u => u.Status == UsageStatus.Succeeded && u.CostMicros > 0)
            && (await wallets.WalletAsync(account)).HeldMicros == 0, "the later request is charged and its hold released");
    }
}
