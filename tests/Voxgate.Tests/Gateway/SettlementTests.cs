using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

/// <summary>Settlement against a real SQLite database, at fixed times: lost holds, retries, refusals, renewals.</summary>
public abstract class SettlementTests(StoreProvider provider) : StoreTests(provider)
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static UsageRecord Usage(string requestId, long accountId, long cost, string status = UsageStatus.Succeeded) =>
        new(requestId, accountId, null, "tts-1", 100, cost, false, status, 12, s_now);

    // Old code: the charge drove the balance negative, the CHECK constraint threw, and neither charge nor usage was written.
    [Fact]
    public async Task ASettlementWhoseHoldWasLostTakesWhatIsThereAndRecordsTheRestAsUncollected()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "stalled", 600, s_now, s_now.AddMinutes(15)));
        // The stalled request's hold expires; another request spends most of the money meanwhile.
        DateTimeOffset later = s_now.AddMinutes(16);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "other", 700, later, later.AddMinutes(15)));
        await Db.Billing.SettleAsync("other", account.Id, 700, Usage("other", account.Id, 700));

        Settlement settlement = await Db.Billing.SettleAsync("stalled", account.Id, 600, Usage("stalled", account.Id, 600));

        Assert.Equal(new Settlement(300, 300, AlreadySettled: false), settlement);
        WalletState wallet = await Db.Billing.GetWalletAsync(account.Id, later);
        Assert.Equal((0L, 0L), (wallet.BalanceMicros, wallet.HeldMicros));
        Assert.Equal(0, await Db.Billing.SumLedgerAsync(account.Id));
        LedgerEntry charge = Assert.Single(await Db.Billing.GetLedgerAsync(account.Id, 10), e => e.RequestId == "stalled");
        Assert.Equal(("charge", -300L, 300L), (charge.Kind, charge.AmountMicros, charge.UncollectedMicros));
        UsageRecord usage = Assert.Single(await Db.Usage.RecentAsync(account.Id, 10), u => u.RequestId == "stalled");
        Assert.Equal(600, usage.CostMicros);
        // Usage cost = collected + uncollected, the balance is the ledger sum and no hold is left: the books are sound.
        Assert.Empty(await Db.Auditor.AuditAsync(later.AddMinutes(1)));
    }

    // Old code: a settlement without a charge (failed, cancelled) recorded a second usage row when retried.
    [Fact]
    public async Task ARetriedSettlementChargesOnceRecordsOneUsageRowAndDropsTheHoldEitherWay()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "paid", 400, s_now, s_now.AddMinutes(15)));
        Assert.Equal(new Settlement(400, 0, false), await Db.Billing.SettleAsync("paid", account.Id, 400, Usage("paid", account.Id, 400)));
        // A hold written again under the settled id (a late renewal, a replayed step) goes with the retried settlement.
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "paid", 400, s_now, s_now.AddMinutes(15)));
        Assert.Equal(new Settlement(0, 0, true), await Db.Billing.SettleAsync("paid", account.Id, 400, Usage("paid", account.Id, 400)));

        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "failed", 300, s_now, s_now.AddMinutes(15)));
        await Db.Billing.SettleAsync("failed", account.Id, 0, Usage("failed", account.Id, 0, UsageStatus.Failed));
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "failed", 300, s_now, s_now.AddMinutes(15)));
        Assert.True((await Db.Billing.SettleAsync("failed", account.Id, 0, Usage("failed", account.Id, 0, UsageStatus.Failed))).AlreadySettled);

        Assert.Equal((600L, 0L), await Wallet(account));
        Assert.Single(await Db.Billing.GetLedgerAsync(account.Id, 10), e => e.Kind == "charge");
        Assert.Equal(["failed", "paid"], (await Db.Usage.RecentAsync(account.Id, 10)).Select(u => u.RequestId).Order());
        Assert.Empty(await Db.Auditor.AuditAsync(s_now));
    }

    [Fact]
    public async Task ARefusedRequestsHoldIsReleasedWithoutAUsageRowOrACharge()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "refused", 1_000, s_now, s_now.AddMinutes(15)));
        Assert.Equal((1_000L, 1_000L), await Wallet(account));

        await Db.Billing.ReleaseHoldAsync("refused");

        Assert.Equal((1_000L, 0L), await Wallet(account));
        Assert.Empty(await Db.Usage.RecentAsync(account.Id, 10));
        Assert.DoesNotContain(await Db.Billing.GetLedgerAsync(account.Id, 10), e => e.Kind == "charge");
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "next", 1_000, s_now, s_now.AddMinutes(15)));
    }

    // A request still running renews its hold; without that the money would be spendable again after the first lifetime.
    [Fact]
    public async Task AnExtendedHoldKeepsCountingAfterItsOriginalExpiry()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "streaming", 800, s_now, s_now.AddMinutes(15)));
        Assert.True(await Db.Billing.ExtendHoldAsync("streaming", s_now.AddMinutes(30)));
        Assert.False(await Db.Billing.ExtendHoldAsync("no-such-request", s_now.AddMinutes(30)));

        DateTimeOffset pastFirstExpiry = s_now.AddMinutes(20);
        Assert.Equal(800, (await Db.Billing.GetWalletAsync(account.Id, pastFirstExpiry)).HeldMicros);
        Assert.False(await Db.Billing.TryHoldAsync(account.Id, "greedy", 300, pastFirstExpiry, pastFirstExpiry.AddMinutes(15)));
        Assert.Equal(0, await Db.Billing.DeleteExpiredHoldsAsync(pastFirstExpiry));
        Assert.Empty(await Db.Auditor.AuditAsync(pastFirstExpiry));

        Assert.Equal(1, await Db.Billing.DeleteExpiredHoldsAsync(s_now.AddMinutes(31)));
    }

    private async Task<(long Balance, long Held)> Wallet(Account account)
    {
        WalletState wallet = await Db.Billing.GetWalletAsync(account.Id, s_now);
        return (wallet.BalanceMicros, wallet.HeldMicros);
    }
}
