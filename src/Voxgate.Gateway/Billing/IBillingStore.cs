using Voxgate.Gateway.Usage;

namespace Voxgate.Gateway.Billing;

/// <summary>One line of the append-only ledger. Kinds: <c>topup</c> (+), <c>fee</c> (-), <c>charge</c> (-).</summary>
public sealed record LedgerEntry(long Id, long AccountId, string Kind, long AmountMicros, string? RequestId, string? Note, DateTimeOffset CreatedAt);

/// <summary>An account's money: the balance is the ledger's sum; holds set part of it aside for requests in flight.</summary>
public sealed record WalletState(long AccountId, long BalanceMicros, long HeldMicros)
{
    public long AvailableMicros => BalanceMicros - HeldMicros;
}

/// <summary>
/// Wallets, the ledger and holds. Each method is one transaction, so concurrent requests can neither overspend
/// (a hold is taken only if the balance minus live holds covers it) nor be charged twice (one charge per request id).
/// </summary>
public interface IBillingStore
{
    /// <summary>Records a top-up and its fee as two ledger lines; the balance rises by their sum.</summary>
    (LedgerEntry TopUp, LedgerEntry Fee) TopUp(long accountId, long amountMicros, long feeMicros, string? note, DateTimeOffset now);

    /// <summary>Sets money aside for a request; false (and nothing held) when the available balance cannot cover it.</summary>
    bool TryHold(long accountId, string requestId, long amountMicros, DateTimeOffset now, DateTimeOffset expiresAt);

    /// <summary>
    /// Ends a request: charges <paramref name="chargeMicros"/> (0 for none) once, releases its hold, and records its
    /// usage, all in one transaction. Settling the same request again charges nothing more.
    /// </summary>
    void Settle(string requestId, long? accountId, long chargeMicros, UsageRecord usage);

    WalletState GetWallet(long accountId, DateTimeOffset now);

    /// <summary>The latest <paramref name="limit"/> ledger lines, newest first.</summary>
    IReadOnlyList<LedgerEntry> GetLedger(long accountId, int limit);

    /// <summary>The sum of every ledger line (what the balance must always equal).</summary>
    long SumLedger(long accountId);

    /// <summary>Drops holds left behind by processes that died; returns how many.</summary>
    int DeleteExpiredHolds(DateTimeOffset now);
}
