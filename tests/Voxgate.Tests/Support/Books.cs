using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;

namespace Voxgate.Tests.Support;

/// <summary>An account's money as the server's own stores record it: charge lines, usage rows, the wallet, the auditor.</summary>
public static class Books
{
    public static long AccountId(this VoxgateFactory factory, string account) => factory.Service<AccountService>().GetAccount(account).Id;

    /// <summary>The account's charge lines in the ledger, oldest first.</summary>
    public static List<LedgerEntry> Charges(this VoxgateFactory factory, string account) =>
        [.. factory.Service<IBillingStore>().GetLedger(factory.AccountId(account), 10_000).Where(l => l.Kind == "charge").Reverse()];

    /// <summary>The account's usage rows, oldest first.</summary>
    public static List<UsageRecord> UsageRows(this VoxgateFactory factory, string account) =>
        [.. factory.Service<IUsageStore>().Recent(factory.AccountId(account), 10_000).Reverse()];

    public static WalletState Wallet(this VoxgateFactory factory, string account) =>
        factory.Service<IBillingStore>().GetWallet(factory.AccountId(account), DateTimeOffset.UtcNow);

    /// <summary>What the money auditor finds wrong with the whole database (nothing when the books are sound).</summary>
    public static IReadOnlyList<AuditFinding> Audit(this VoxgateFactory factory) =>
        factory.Service<IMoneyAuditor>().Audit(DateTimeOffset.UtcNow);

    /// <summary>Asserts that the auditor finds nothing, listing what it found otherwise.</summary>
    public static void AssertBooksSound(this VoxgateFactory factory)
    {
        IReadOnlyList<AuditFinding> findings = factory.Audit();
        Assert.True(findings.Count == 0, "audit findings: " + string.Join("; ", findings.Select(f => $"{f.Check} {f.Subject}: {f.Detail}")));
    }
}
