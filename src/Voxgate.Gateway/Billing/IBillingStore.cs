using Voxgate.Gateway.Usage;

namespace Voxgate.Gateway.Billing;

/// <summary>One line of the append-only ledger. Kinds: <c>topup</c> (+), <c>fee</c> (-), <c>charge</c> (-).</summary>
/// <param name="UncollectedMicros">
/// For a charge, what its settlement could not take because the balance no longer covered it (a shortfall); 0 almost
/// always. The amount is what was taken, so the balance stays the ledger's sum and never goes negative.
/// </param>
public sealed record LedgerEntry(long Id, long AccountId, string Kind, long AmountMicros, string? RequestId, string? Note, DateTimeOffset CreatedAt,
    long UncollectedMicros = 0);

/// <summary>What a settlement did.</summary>
/// <param name="ChargedMicros">Taken from the balance now (0 when there was nothing to charge, or already settled).</param>
/// <param name="UncollectedMicros">The part of the charge the balance could not cover, recorded on the charge line.</param>
/// <param name="AlreadySettled">The request had been settled before; nothing changed.</param>
public readonly record struct Settlement(long ChargedMicros, long UncollectedMicros, bool AlreadySettled);

/// <summary>An account's money: the balance is the ledger's sum; holds set part of it aside for requests in flight.</summary>
public sealed record WalletState(long AccountId, long BalanceMicros, long HeldMicros)
{
    public long AvailableMicros => BalanceMicros - HeldMicros;
}

/// <summary>
/// Wallets, the ledger and holds. Each method is one transaction, so concurrent requests can neither overspend
/// (a hold is taken only if the balance minus live holds covers it) nor be charged twice (one charge per request id).
/// Request ids are the server's own (never a caller's), unique per request.
/// </summary>
public interface IBillingStore
{
    /// <summary>Records a top-up and its fee as two ledger lines; the balance rises by their sum.</summary>
    (LedgerEntry TopUp, LedgerEntry Fee) TopUp(long accountId, long amountMicros, long feeMicros, string? note, DateTimeOffset now);

    /// <summary>Sets money aside for a request; false (and nothing held) when the available balance cannot cover it.</summary>
    bool TryHold(long accountId, string requestId, long amountMicros, DateTimeOffset now, DateTimeOffset expiresAt);

    /// <summary>Moves a live hold's expiry (a request still streaming keeps its money set aside); false when it is gone.</summary>
    bool ExtendHold(string requestId, DateTimeOffset expiresAt);

    /// <summary>Drops a request's hold without charging or recording anything (a request refused after its hold).</summary>
    void ReleaseHold(string requestId);

    /// <summary>
    /// Ends a request: charges <paramref name="chargeMicros"/> (0 for none) once, releases its hold, and records its
    /// usage, all in one transaction. Settling the same request again changes nothing. If the balance cannot cover the
    /// charge (its hold was lost), what it can cover is taken and the rest recorded as uncollected on the charge line.
    /// </summary>
    Settlement Settle(string requestId, long? accountId, long chargeMicros, UsageRecord usage);

    WalletState GetWallet(long accountId, DateTimeOffset now);

    /// <summary>The latest <paramref name="limit"/> ledger lines, newest first.</summary>
    IReadOnlyList<LedgerEntry> GetLedger(long accountId, int limit);

    /// <summary>The sum of every ledger line (what the balance must always equal).</summary>
    long SumLedger(long accountId);

    /// <summary>Drops holds left behind by processes that died; returns how many.</summary>
    int DeleteExpiredHolds(DateTimeOffset now);

    /// <summary>
    /// At a server's start: drops every hold of an interactive request (its process is gone: one server owns a data
    /// directory) and every expired one. Task holds (<c>task-</c>) stay: their tasks resume. Returns how many.
    /// </summary>
    int ReleaseOrphanedHolds(DateTimeOffset now);
}
