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
/// Wallets, the ledger and holds. Each method is one transaction, and its guarantees hold with many writers at once
/// (several nodes on PostgreSQL, where the account's row is locked for the transaction; SQLite has one writer):
/// concurrent requests can neither overspend (a hold is taken only if the balance minus live holds covers it) nor be
/// charged twice (one charge per request id, a unique index), and the balance is never negative (a CHECK) and always
/// the ledger's sum, which is append-only. Request ids are the server's own (never a caller's), unique per request.
/// </summary>
public interface IBillingStore
{
    /// <summary>Records a top-up and its fee as two ledger lines; the balance rises by their sum.</summary>
    Task<(LedgerEntry TopUp, LedgerEntry Fee)> TopUpAsync(long accountId, long amountMicros, long feeMicros, string? note, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets money aside for a request, recorded as this node's; false (and nothing held) when the available balance
    /// cannot cover it.
    /// </summary>
    Task<bool> TryHoldAsync(long accountId, string requestId, long amountMicros, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises a live hold to <paramref name="amountMicros"/> (a stream whose text grows while it is spoken) and moves
    /// its expiry; false (and the hold unchanged) when the available balance, less every other live hold, cannot cover
    /// the new amount, or the hold is gone.
    /// </summary>
    Task<bool> TryRaiseHoldAsync(long accountId, string requestId, long amountMicros, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default);

    /// <summary>Moves a live hold's expiry (a request still streaming keeps its money set aside); false when it is gone.</summary>
    Task<bool> ExtendHoldAsync(string requestId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Drops a request's hold without charging or recording anything (a request refused after its hold).</summary>
    Task ReleaseHoldAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a request: charges <paramref name="chargeMicros"/> (0 for none) once, releases its hold, and records its
    /// usage, all in one transaction. Settling the same request again changes nothing. If the balance cannot cover the
    /// charge (its hold was lost), what it can cover is taken and the rest recorded as uncollected on the charge line.
    /// </summary>
    Task<Settlement> SettleAsync(string requestId, long? accountId, long chargeMicros, UsageRecord usage, CancellationToken cancellationToken = default);

    Task<WalletState> GetWalletAsync(long accountId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The latest <paramref name="limit"/> ledger lines, newest first.</summary>
    /// <param name="beforeId">Only lines older than this one (the next page), or null for the newest.</param>
    Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(long accountId, int limit, long? beforeId = null, CancellationToken cancellationToken = default);

    /// <summary>The sum of every ledger line (what the balance must always equal).</summary>
    Task<long> SumLedgerAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Drops holds whose lifetime has ended (their process died without settling); returns how many.</summary>
    Task<int> DeleteExpiredHoldsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// At a node's start: drops every hold of an interactive request this node took (its process is gone) and every
    /// expired one. Task holds (<c>task-</c>) stay: their tasks resume on some node. Returns how many.
    /// </summary>
    Task<int> ReleaseOrphanedHoldsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
