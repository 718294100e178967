using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

public abstract class BillingStoreTests(StoreProvider provider) : StoreTests(provider)
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static UsageRecord Usage(string requestId, long accountId, long cost) =>
        new(requestId, accountId, null, "tts-1", 100, cost, false, UsageStatus.Succeeded, 12, s_now);

    [Fact]
    public async Task ATopUpRecordsTheAmountAndTheFeeAsSeparateLines()
    {
        Account account = await Db.NewAccountAsync();
        var wallets = new WalletService(Db.Billing, Options.Create(new BillingOptions()), new ManualClock(s_now));
        (LedgerEntry topUp, LedgerEntry fee, WalletState wallet) = await wallets.TopUpAsync(account, 10 * Money.MicrosPerDollar);
        Assert.Equal(("topup", 10_000_000L), (topUp.Kind, topUp.AmountMicros));
        Assert.Equal(("fee", -500_000L), (fee.Kind, fee.AmountMicros));
        Assert.Equal(9_500_000, wallet.BalanceMicros);
        Assert.Equal(wallet.BalanceMicros, await Db.Billing.SumLedgerAsync(account.Id));
        Assert.Equal("amount", (await Assert.ThrowsAsync<GatewayInputException>(() => wallets.TopUpAsync(account, 0))).Parameter);
    }

    [Fact]
    public async Task HoldsReserveMoneyAndSettlementChargesOnceAndReleases()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "r1", 600, s_now, s_now.AddMinutes(15)));
        Assert.False(await Db.Billing.TryHoldAsync(account.Id, "r2", 600, s_now, s_now.AddMinutes(15)));
        Assert.Equal((1_000L, 600L, 400L), await Wallet(account));

        await Db.Billing.SettleAsync("r1", account.Id, 550, Usage("r1", account.Id, 550));
        await Db.Billing.SettleAsync("r1", account.Id, 550, Usage("r1", account.Id, 550)); // a retry of the settlement
        Assert.Equal((450L, 0L, 450L), await Wallet(account));
        Assert.Equal(450, await Db.Billing.SumLedgerAsync(account.Id));
        Assert.Single(await Db.Billing.GetLedgerAsync(account.Id, 10), e => e.Kind == "charge");
        Assert.Single(await Db.Usage.RecentAsync(account.Id, 10));
    }

    [Fact]
    public async Task AStreamsHoldGrowsOnlyAsFarAsTheBalanceLessOtherHoldsCovers()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "stream", 0, s_now, s_now.AddMinutes(15)));
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "other", 300, s_now, s_now.AddMinutes(15)));
        Assert.True(await Db.Billing.TryRaiseHoldAsync(account.Id, "stream", 500, s_now, s_now.AddMinutes(15)));
        Assert.True(await Db.Billing.TryRaiseHoldAsync(account.Id, "stream", 700, s_now, s_now.AddMinutes(15))); // its own 500 counts toward it
        Assert.False(await Db.Billing.TryRaiseHoldAsync(account.Id, "stream", 701, s_now, s_now.AddMinutes(15)));
        Assert.Equal((1_000L, 1_000L, 0L), await Wallet(account));
        Assert.False(await Db.Billing.TryRaiseHoldAsync(account.Id, "missing", 1, s_now, s_now.AddMinutes(15)));

        await Db.Billing.SettleAsync("stream", account.Id, 650, Usage("stream", account.Id, 650));
        Assert.Equal((350L, 300L, 50L), await Wallet(account));
    }

    [Fact]
    public async Task AFailedRequestChargesNothingAndFreesItsHold()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "r1", 900, s_now, s_now.AddMinutes(15)));
        await Db.Billing.SettleAsync("r1", account.Id, 0, Usage("r1", account.Id, 0) with { Status = UsageStatus.Failed });
        Assert.Equal((1_000L, 0L, 1_000L), await Wallet(account));
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "r2", 1_000, s_now, s_now.AddMinutes(15)));
    }

    [Fact]
    public async Task ExpiredHoldsStopCountingAndAreSweptAway()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 0, null, s_now);
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "crashed", 1_000, s_now, s_now.AddMinutes(15)));
        Assert.False(await Db.Billing.TryHoldAsync(account.Id, "next", 1, s_now.AddMinutes(14), s_now.AddMinutes(30)));
        Assert.True(await Db.Billing.TryHoldAsync(account.Id, "later", 1, s_now.AddMinutes(16), s_now.AddMinutes(30)));
        Assert.Equal(1, await Db.Billing.DeleteExpiredHoldsAsync(s_now.AddMinutes(16)));
    }

    [Fact]
    public async Task ConcurrentHoldsNeverExceedTheBalance()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 5_000, 0, null, s_now);
        bool[] held = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(() => Db.Billing.TryHoldAsync(account.Id, $"r{i}", 100, s_now, s_now.AddMinutes(15)))));
        Assert.Equal(50, held.Count(h => h));
        Assert.Equal((5_000L, 5_000L, 0L), await Wallet(account));
    }

    [Fact]
    public async Task TheLedgerIsAppendOnlyAndTheBalanceCannotGoNegative()
    {
        Account account = await Db.NewAccountAsync();
        await Db.Billing.TopUpAsync(account.Id, 1_000, 50, null, s_now);
        await using DbConnection connection = await Db.Database.OpenAsync(CancellationToken.None);
        foreach (string sql in new[] { "UPDATE ledger SET amount_micros = 1", "DELETE FROM ledger", "UPDATE accounts SET balance_micros = -1" })
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            await Assert.ThrowsAnyAsync<DbException>(() => command.ExecuteNonQueryAsync());
        }
        Assert.Equal(950, await Db.Billing.SumLedgerAsync(account.Id));
    }

    [Fact]
    public async Task MigrationsApplyOnceAndAgainIsANoOpAlsoWhenNodesStartTogether()
    {
        // The newest script of the provider's folder (NNN_name.sql).
        int latest = Directory.GetFiles(Path.Combine(ServerProcess.RepositoryRoot(), "src", "Voxgate.Gateway", "Storage", "Migrations",
            Provider == StoreProvider.Sqlite ? "Sqlite" : "Postgres"), "*.sql").Max(f => int.Parse(Path.GetFileName(f)[..3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(latest >= (Provider == StoreProvider.Sqlite ? 7 : 4));
        Assert.Equal(latest, await Db.Database.MigrateAsync(CancellationToken.None));
        // Other processes starting at once on the same database: one applies, the others find everything recorded.
        IDatabase[] others = [.. Enumerable.Range(0, 4).Select(_ => AnotherProcess())];
        Assert.All(await Task.WhenAll(others.Select(d => d.MigrateAsync(CancellationToken.None))), version => Assert.Equal(latest, version));
        await using DbConnection connection = await others[0].OpenAsync(CancellationToken.None);
        await using DbCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations";
        Assert.Equal(latest, Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        foreach (IDatabase other in others)
        {
            if (other is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>A second handle on the test's database, as another process (another node) would open it.</summary>
    private IDatabase AnotherProcess() => Db.Database switch
    {
        SqliteDatabase sqlite => new SqliteDatabase(sqlite.Path, NullLogger<SqliteDatabase>.Instance),
        _ => new PostgresDatabase(Db.ConnectionString!, NullLogger<PostgresDatabase>.Instance),
    };

    [Fact]
    public async Task UsageIsSummedByDayAndModelAndRanked()
    {
        Account a = await Db.NewAccountAsync("a");
        Account b = await Db.NewAccountAsync("b");
        await Db.Billing.TopUpAsync(a.Id, 1_000, 0, null, s_now);
        await Db.Billing.TopUpAsync(b.Id, 1_000, 0, null, s_now);
        await Db.Billing.SettleAsync("1", a.Id, 100, Usage("1", a.Id, 100) with { Model = "m1", Characters = 10 });
        await Db.Billing.SettleAsync("2", a.Id, 200, Usage("2", a.Id, 200) with { Model = "m1", Characters = 20, CreatedAt = s_now.AddDays(-1) });
        await Db.Billing.SettleAsync("3", b.Id, 300, Usage("3", b.Id, 300) with { Model = "m2", Characters = 50 });
        await Db.Billing.SettleAsync("4", b.Id, 0, Usage("4", b.Id, 0) with { Model = "m2", Characters = 999, Status = UsageStatus.Failed });
        long minute = s_now.ToUnixTimeMilliseconds() / 60_000;
        await Db.Usage.AddRefusalsAsync([new(new RefusalKey(minute, b.Id, 0, "m2", UsageStatus.RateLimited), 7), new(new RefusalKey(minute, 0, 0, "", UsageStatus.Unauthorized), 3)]);
        await Db.Usage.AddRefusalsAsync([new(new RefusalKey(minute, b.Id, 0, "m2", UsageStatus.RateLimited), 2)]);

        IReadOnlyList<UsageByDay> forA = await Db.Usage.ByDayAsync(a.Id, s_now.AddDays(-7), s_now.AddDays(1));
        Assert.Equal([(new DateOnly(2026, 11, 20), 20L), (new DateOnly(2026, 11, 21), 10L)], forA.Select(d => (d.Day, d.Characters)));
        UsageByDay m2 = Assert.Single(await Db.Usage.ByDayAsync(b.Id, s_now.AddDays(-7), s_now.AddDays(1)));
        Assert.Equal((1, 50L, 300L, 1, 9L), (m2.Requests, m2.Characters, m2.CostMicros, m2.Failed, m2.Refused));
        Assert.Equal([new RefusalTotal(UsageStatus.RateLimited, 9)], await Db.Usage.RefusalsAsync(b.Id, s_now.AddDays(-7), s_now.AddDays(1)));
        Assert.Equal([new RefusalTotal(UsageStatus.RateLimited, 9), new RefusalTotal(UsageStatus.Unauthorized, 3)],
            await Db.Usage.RefusalsAsync(null, s_now.AddDays(-7), s_now.AddDays(1)));

        IReadOnlyList<ModelRanking> ranking = await Db.Usage.RankModelsAsync(s_now.AddDays(-7), s_now.AddDays(1));
        Assert.Equal([("m2", 50L, 1, 9L), ("m1", 30L, 0, 0L)], ranking.Select(r => (r.Model, r.Characters, r.Failed, r.Refused)));
    }

    private async Task<(long Balance, long Held, long Available)> Wallet(Account account)
    {
        WalletState wallet = await Db.Billing.GetWalletAsync(account.Id, s_now);
        return (wallet.BalanceMicros, wallet.HeldMicros, wallet.AvailableMicros);
    }
}
