using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

public sealed class BillingStoreTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static UsageRecord Usage(string requestId, long accountId, long cost) =>
        new(requestId, accountId, null, "tts-1", 100, cost, false, UsageStatus.Succeeded, 12, s_now);

    [Fact]
    public void ATopUpRecordsTheAmountAndTheFeeAsSeparateLines()
    {
        Account account = _db.NewAccount();
        var wallets = new WalletService(_db.Billing, Options.Create(new BillingOptions()), new ManualClock(s_now));
        (LedgerEntry topUp, LedgerEntry fee, WalletState wallet) = wallets.TopUp(account, 10 * Money.MicrosPerDollar);
        Assert.Equal(("topup", 10_000_000L), (topUp.Kind, topUp.AmountMicros));
        Assert.Equal(("fee", -500_000L), (fee.Kind, fee.AmountMicros));
        Assert.Equal(9_500_000, wallet.BalanceMicros);
        Assert.Equal(wallet.BalanceMicros, _db.Billing.SumLedger(account.Id));
        Assert.Equal("amount", Assert.Throws<GatewayInputException>(() => wallets.TopUp(account, 0)).Parameter);
    }

    [Fact]
    public void HoldsReserveMoneyAndSettlementChargesOnceAndReleases()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 0, null, s_now);
        Assert.True(_db.Billing.TryHold(account.Id, "r1", 600, s_now, s_now.AddMinutes(15)));
        Assert.False(_db.Billing.TryHold(account.Id, "r2", 600, s_now, s_now.AddMinutes(15)));
        Assert.Equal((1_000L, 600L, 400L), Wallet(account));

        _db.Billing.Settle("r1", account.Id, 550, Usage("r1", account.Id, 550));
        _db.Billing.Settle("r1", account.Id, 550, Usage("r1", account.Id, 550)); // a retry of the settlement
        Assert.Equal((450L, 0L, 450L), Wallet(account));
        Assert.Equal(450, _db.Billing.SumLedger(account.Id));
        Assert.Single(_db.Billing.GetLedger(account.Id, 10), e => e.Kind == "charge");
        Assert.Single(_db.Usage.Recent(account.Id, 10));
    }

    [Fact]
    public void AFailedRequestChargesNothingAndFreesItsHold()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 0, null, s_now);
        Assert.True(_db.Billing.TryHold(account.Id, "r1", 900, s_now, s_now.AddMinutes(15)));
        _db.Billing.Settle("r1", account.Id, 0, Usage("r1", account.Id, 0) with { Status = UsageStatus.Failed });
        Assert.Equal((1_000L, 0L, 1_000L), Wallet(account));
        Assert.True(_db.Billing.TryHold(account.Id, "r2", 1_000, s_now, s_now.AddMinutes(15)));
    }

    [Fact]
    public void ExpiredHoldsStopCountingAndAreSweptAway()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 0, null, s_now);
        Assert.True(_db.Billing.TryHold(account.Id, "crashed", 1_000, s_now, s_now.AddMinutes(15)));
        Assert.False(_db.Billing.TryHold(account.Id, "next", 1, s_now.AddMinutes(14), s_now.AddMinutes(30)));
        Assert.True(_db.Billing.TryHold(account.Id, "later", 1, s_now.AddMinutes(16), s_now.AddMinutes(30)));
        Assert.Equal(1, _db.Billing.DeleteExpiredHolds(s_now.AddMinutes(16)));
    }

    [Fact]
    public async Task ConcurrentHoldsNeverExceedTheBalance()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 5_000, 0, null, s_now);
        bool[] held = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(() => _db.Billing.TryHold(account.Id, $"r{i}", 100, s_now, s_now.AddMinutes(15)))));
        Assert.Equal(50, held.Count(h => h));
        Assert.Equal((5_000L, 5_000L, 0L), Wallet(account));
    }

    [Fact]
    public void TheLedgerIsAppendOnlyAndTheBalanceCannotGoNegative()
    {
        Account account = _db.NewAccount();
        _db.Billing.TopUp(account.Id, 1_000, 50, null, s_now);
        using SqliteConnection connection = _db.Database.Open();
        foreach (string sql in new[] { "UPDATE ledger SET amount_micros = 1", "DELETE FROM ledger", "UPDATE accounts SET balance_micros = -1" })
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        }
        Assert.Equal(950, _db.Billing.SumLedger(account.Id));
    }

    [Fact]
    public void MigrationsApplyOnceAndAgainIsANoOp()
    {
        Assert.Equal(SqliteDatabaseMigrations.Latest, _db.Database.SchemaVersion);
        var second = new Voxgate.Gateway.Storage.SqliteDatabase(_db.Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<Voxgate.Gateway.Storage.SqliteDatabase>.Instance);
        Assert.Equal(SqliteDatabaseMigrations.Latest, second.SchemaVersion);
        using SqliteConnection connection = second.Open();
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations";
        Assert.Equal((long)SqliteDatabaseMigrations.Latest, count.ExecuteScalar());
        using SqliteCommand mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
    }

    [Fact]
    public void UsageIsSummedByDayAndModelAndRanked()
    {
        Account a = _db.NewAccount("a");
        Account b = _db.NewAccount("b");
        _db.Billing.TopUp(a.Id, 1_000, 0, null, s_now);
        _db.Billing.TopUp(b.Id, 1_000, 0, null, s_now);
        _db.Billing.Settle("1", a.Id, 100, Usage("1", a.Id, 100) with { Model = "m1", Characters = 10 });
        _db.Billing.Settle("2", a.Id, 200, Usage("2", a.Id, 200) with { Model = "m1", Characters = 20, CreatedAt = s_now.AddDays(-1) });
        _db.Billing.Settle("3", b.Id, 300, Usage("3", b.Id, 300) with { Model = "m2", Characters = 50 });
        _db.Billing.Settle("4", b.Id, 0, Usage("4", b.Id, 0) with { Model = "m2", Characters = 999, Status = UsageStatus.Failed });
        long minute = s_now.ToUnixTimeMilliseconds() / 60_000;
        _db.Usage.AddRefusals([new(new RefusalKey(minute, b.Id, 0, "m2", UsageStatus.RateLimited), 7), new(new RefusalKey(minute, 0, 0, "", UsageStatus.Unauthorized), 3)]);
        _db.Usage.AddRefusals([new(new RefusalKey(minute, b.Id, 0, "m2", UsageStatus.RateLimited), 2)]);

        IReadOnlyList<UsageByDay> forA = _db.Usage.ByDay(a.Id, s_now.AddDays(-7), s_now.AddDays(1));
        Assert.Equal([(new DateOnly(2026, 11, 20), 20L), (new DateOnly(2026, 11, 21), 10L)], forA.Select(d => (d.Day, d.Characters)));
        UsageByDay m2 = Assert.Single(_db.Usage.ByDay(b.Id, s_now.AddDays(-7), s_now.AddDays(1)));
        Assert.Equal((1, 50L, 300L, 1, 9L), (m2.Requests, m2.Characters, m2.CostMicros, m2.Failed, m2.Refused));
        Assert.Equal([new RefusalTotal(UsageStatus.RateLimited, 9)], _db.Usage.Refusals(b.Id, s_now.AddDays(-7), s_now.AddDays(1)));
        Assert.Equal([new RefusalTotal(UsageStatus.RateLimited, 9), new RefusalTotal(UsageStatus.Unauthorized, 3)],
            _db.Usage.Refusals(null, s_now.AddDays(-7), s_now.AddDays(1)));

        IReadOnlyList<ModelRanking> ranking = _db.Usage.RankModels(s_now.AddDays(-7), s_now.AddDays(1));
        Assert.Equal([("m2", 50L, 1, 9L), ("m1", 30L, 0, 0L)], ranking.Select(r => (r.Model, r.Characters, r.Failed, r.Refused)));
    }

    private (long Balance, long Held, long Available) Wallet(Account account)
    {
        WalletState wallet = _db.Billing.GetWallet(account.Id, s_now);
        return (wallet.BalanceMicros, wallet.HeldMicros, wallet.AvailableMicros);
    }
}

internal static class SqliteDatabaseMigrations
{
    public static int Latest => Voxgate.Gateway.Storage.SqliteDatabase.Migrations().Max(m => m.Number);
}
