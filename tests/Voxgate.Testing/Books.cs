using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;

namespace Voxgate.Tests.Support;

/// <summary>An account's money as the server's own stores record it: charge lines, usage rows, the wallet, the auditor.</summary>
public static class Books
{
    public static async Task<long> AccountIdAsync(this VoxgateFactory factory, string account) =>
        (await factory.Service<AccountService>().GetAccountAsync(account)).Id;

    /// <summary>The account's charge lines in the ledger, oldest first.</summary>
    public static async Task<List<LedgerEntry>> ChargesAsync(this VoxgateFactory factory, string account) =>
        [.. (await factory.Service<IBillingStore>().GetLedgerAsync(await factory.AccountIdAsync(account), 10_000)).Where(l => l.Kind == "charge").Reverse()];

    /// <summary>The account's usage rows, oldest first.</summary>
    public static async Task<List<UsageRecord>> UsageRowsAsync(this VoxgateFactory factory, string account) =>
        [.. (await factory.Service<IUsageStore>().RecentAsync(await factory.AccountIdAsync(account), 10_000)).Reverse()];

    public static async Task<WalletState> WalletAsync(this VoxgateFactory factory, string account) =>
        await factory.Service<IBillingStore>().GetWalletAsync(await factory.AccountIdAsync(account), DateTimeOffset.UtcNow);

    /// <summary>What the money auditor finds wrong with the whole database (nothing when the books are sound).</summary>
    public static Task<IReadOnlyList<AuditFinding>> AuditAsync(this VoxgateFactory factory) =>
        factory.Service<IMoneyAuditor>().AuditAsync(DateTimeOffset.UtcNow);

    /// <summary>Asserts that the auditor finds nothing, listing what it found otherwise.</summary>
    public static async Task AssertBooksSoundAsync(this VoxgateFactory factory)
    {
        IReadOnlyList<AuditFinding> findings = await factory.AuditAsync();
        Assert.True(findings.Count == 0, "audit findings: " + string.Join("; ", findings.Select(f => $"{f.Check} {f.Subject}: {f.Detail}")));
    }
}
