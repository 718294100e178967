using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

/// <summary>Settlement against a real SQLite database, at fixed times: lost holds, retries, refusals, renewals.</summary>
public sealed class SettlementTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static UsageRecord Usage(string requestId, long accountId, long cost, string status = UsageStatus.Succeeded) =>
        new(requestId, accountId, null, "tts-1", 100, cost, false, status, 12, s_now);

    // Old code: the charge drove the balance negative, the CHECK constraint threw, and neither charge nor usage was written.
    [Fact]
    public void ASettlementWhoseHoldWasLostTakesWhatIsThereAndRecordsTheRestAsUncollected()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 0, null, s_now);
        Assert.True(_db.Billing.TryHold(account.Id, "stalled", 600, s_now, s_now.AddMinutes(15)));
        // The stalled request's hold expires; another request spends most of the money meanwhile.
        DateTimeOffset later = s_now.AddMinutes(16);
        Assert.True(_db.Billing.TryHold(account.Id, "other", 700, later, later.AddMinutes(15)));
        _db.Billing.Settle("other", account.Id, 700, Usage("other", account.Id, 700));

        Settlement settlement = _db.Billing.Settle("stalled", account.Id, 600, Usage("stalled", account.Id, 600));

        Assert.Equal(new Settlement(300, 300, AlreadySettled: false), settlement);
        WalletState wallet = _db.Billing.GetWallet(account.Id, later);
        Assert.Equal((0L, 0L), (wallet.BalanceMicros, wallet.HeldMicros));
        Assert.Equal(0, _db.Billing.SumLedger(account.Id));
        LedgerEntry charge = Assert.Single(_db.Billing.GetLedger(account.Id, 10), e => e.RequestId == "stalled");
        Assert.Equal(("charge", -300L, 300L), (charge.Kind, charge.AmountMicros, charge.UncollectedMicros));
        UsageRecord usage = Assert.Single(_db.Usage.Recent(account.Id, 10), u => u.RequestId == "stalled");
        Assert.Equal(600, usage.CostMicros);
        // Usage cost = collected + uncollected, the balance is the ledger sum and no hold is left: the books are sound.
        Assert.Empty(new SqliteMoneyAuditor(_db.Database).Audit(later.AddMinutes(1)));
    }

    // Old code: a settlement without a charge (failed, cancelled) recorded a second usage row when retried.
    [Fact]
    public void ARetriedSettlementChargesOnceRecordsOneUsageRowAndDropsTheHoldEitherWay()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 0, null, s_now);
        Assert.True(_db.Billing.TryHold(account.Id, "paid", 400, s_now, s_now.AddMinutes(15)));
        Assert.Equal(new Settlement(400, 0, false), _db.Billing.Settle("paid", account.Id, 400, Usage("paid", account.Id, 400)));
        // A hold written again under the settled id (a late renewal, a replayed step) goes with the retried settlement.
        Assert.True(_db.Billing.TryHold(account.Id, "paid", 400, s_now, s_now.AddMinutes(15)));
        Assert.Equal(new Settlement(0, 0, true), _db.Billing.Settle("paid", account.Id, 400, Usage("paid", account.Id, 400)));

        Assert.True(_db.Billing.TryHold(account.Id, "failed", 300, s_now, s_now.AddMinutes(15)));
        _db.Billing.Settle("failed", account.Id, 0, Usage("failed", account.Id, 0, UsageStatus.Failed));
        Assert.True(_db.Billing.TryHold(account.Id, "failed", 300, s_now, s_now.AddMinutes(15)));
        Assert.True(_db.Billing.Settle("failed", account.Id, 0, Usage("failed", account.Id, 0, UsageStatus.Failed)).AlreadySettled);

        Assert.Equal((600L, 0L), Wallet(account));
        Assert.Single(_db.Billing.GetLedger(account.Id, 10), e => e.Kind == "charge");
        Assert.Equal(["failed", "paid"], _db.Usage.Recent(account.Id, 10).Select(u => u.RequestId).Order());
        Assert.Empty(new SqliteMoneyAuditor(_db.Database).Audit(s_now));
    }

    [Fact]
    public void ARefusedRequestsHoldIsReleasedWithoutAUsageRowOrACharge()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 0, null, s_now);
        Assert.True(_db.Billing.TryHold(account.Id, "refused", 1_000, s_now, s_now.AddMinutes(15)));
        Assert.Equal((1_000L, 1_000L), Wallet(account));

        _db.Billing.ReleaseHold("refused");

        Assert.Equal((1_000L, 0L), Wallet(account));
        Assert.Empty(_db.Usage.Recent(account.Id, 10));
        Assert.DoesNotContain(_db.Billing.GetLedger(account.Id, 10), e => e.Kind == "charge");
        Assert.True(_db.Billing.TryHold(account.Id, "next", 1_000, s_now, s_now.AddMinutes(15)));
    }

    // A request still running renews its hold; without that the money would be spendable again after the first lifetime.
    [Fact]
    public void AnExtendedHoldKeepsCountingAfterItsOriginalExpiry()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 0, null, s_now);
        Assert.True(_db.Billing.TryHold(account.Id, "streaming", 800, s_now, s_now.AddMinutes(15)));
        Assert.True(_db.Billing.ExtendHold("streaming", s_now.AddMinutes(30)));
        Assert.False(_db.Billing.ExtendHold("no-such-request", s_now.AddMinutes(30)));

        DateTimeOffset pastFirstExpiry = s_now.AddMinutes(20);
        Assert.Equal(800, _db.Billing.GetWallet(account.Id, pastFirstExpiry).HeldMicros);
        Assert.False(_db.Billing.TryHold(account.Id, "greedy", 300, pastFirstExpiry, pastFirstExpiry.AddMinutes(15)));
        Assert.Equal(0, _db.Billing.DeleteExpiredHolds(pastFirstExpiry));
        Assert.Empty(new SqliteMoneyAuditor(_db.Database).Audit(pastFirstExpiry));

        Assert.Equal(1, _db.Billing.DeleteExpiredHolds(s_now.AddMinutes(31)));
    }

    private (long Balance, long Held) Wallet(Account account)
    {
        WalletState wallet = _db.Billing.GetWallet(account.Id, s_now);
        return (wallet.BalanceMicros, wallet.HeldMicros);
    }
}
