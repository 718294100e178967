using System.Data.Common;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;

namespace Voxgate.Gateway.Billing;

/// <summary>
/// The wallet on any <see cref="IDatabase"/>. Every transaction that reads a balance to decide on it first locks the
/// account's row (<see cref="SqlDialect.LockRows"/>), so on PostgreSQL two nodes' holds and settlements for one account
/// take turns exactly as SQLite's single writer makes them.
/// </summary>
public sealed class SqlBillingStore(IDatabase database, NodeIdentity node) : IBillingStore
{
    private const string LedgerColumns = "id, account_id, kind, amount_micros, request_id, note, created_at, uncollected_micros";

    public Task<(LedgerEntry TopUp, LedgerEntry Fee)> TopUpAsync(long accountId, long amountMicros, long feeMicros, string? note, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            LedgerEntry topUp = await AppendAsync(connection, transaction, accountId, "topup", amountMicros, note, now, cancellationToken);
            LedgerEntry fee = await AppendAsync(connection, transaction, accountId, "fee", -feeMicros, "platform fee on top-up " + topUp.Id, now, cancellationToken);
            await AdjustBalanceAsync(connection, transaction, accountId, amountMicros - feeMicros, cancellationToken);
            return (topUp, fee);
        }, cancellationToken);

    public Task<bool> TryHoldAsync(long accountId, string requestId, long amountMicros, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // The account's row is this transaction's until it ends: no other hold or charge on it can come between
            // this check and the insert.
            if (await LockBalanceAsync(connection, transaction, accountId, cancellationToken) is not long balance)
            {
                return false;
            }
            long held = await HeldAsync(connection, transaction, accountId, now, cancellationToken);
            if (balance - held < amountMicros)
            {
                return false;
            }
            await Sql.ExecuteAsync(connection, transaction,
                "INSERT INTO holds (account_id, amount_micros, request_id, created_at, expires_at, node) VALUES (@account, @amount, @request, @now, @expires, @node)",
                cancellationToken, ("@account", accountId), ("@amount", amountMicros), ("@request", requestId), ("@now", now.ToUnixTimeMilliseconds()),
                ("@expires", expiresAt.ToUnixTimeMilliseconds()), ("@node", node.Name));
            return true;
        }, cancellationToken);

    public Task<bool> ExtendHoldAsync(string requestId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "UPDATE holds SET expires_at = @expires WHERE request_id = @request", cancellationToken,
            ("@expires", expiresAt.ToUnixTimeMilliseconds()), ("@request", requestId)) == 1, cancellationToken);

    public Task ReleaseHoldAsync(string requestId, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => DeleteHoldAsync(connection, transaction, requestId, cancellationToken), cancellationToken);

    public Task<Settlement> SettleAsync(string requestId, long? accountId, long chargeMicros, UsageRecord usage, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            long? balance = chargeMicros > 0 && accountId is long locked ? await LockBalanceAsync(connection, transaction, locked, cancellationToken) : null;
            // A settlement retried after an unclear failure finds its usage row and changes nothing more.
            if (await Sql.ScalarAsync(connection, transaction, "SELECT 1 FROM usage WHERE request_id = @request LIMIT 1", cancellationToken,
                ("@request", requestId)) is not null)
            {
                await DeleteHoldAsync(connection, transaction, requestId, cancellationToken);
                return new Settlement(0, 0, AlreadySettled: true);
            }
            long collected = 0, uncollected = 0;
            if (chargeMicros > 0 && accountId is long account)
            {
                // The hold kept this much available; if it was lost (the process stalled past its lifetime and others
                // spent the money), take what is there and record the rest, rather than fail and charge nothing.
                long available = balance ?? throw new InvalidOperationException($"Account {account} does not exist.");
                collected = Math.Clamp(available, 0, chargeMicros);
                uncollected = chargeMicros - collected;
                // The unique index on charge request ids makes a second settlement of the same request a no-op.
                int inserted = await Sql.ExecuteAsync(connection, transaction,
                    """
                    INSERT INTO ledger (account_id, kind, amount_micros, request_id, created_at, uncollected_micros)
                    VALUES (@account, 'charge', @amount, @request, @now, @uncollected) ON CONFLICT DO NOTHING
                    """,
                    cancellationToken, ("@account", account), ("@amount", -collected), ("@request", requestId),
                    ("@now", usage.CreatedAt.ToUnixTimeMilliseconds()), ("@uncollected", uncollected));
                if (inserted == 0)
                {
                    await DeleteHoldAsync(connection, transaction, requestId, cancellationToken);
                    return new Settlement(0, 0, AlreadySettled: true);
                }
                await AdjustBalanceAsync(connection, transaction, account, -collected, cancellationToken);
            }
            await DeleteHoldAsync(connection, transaction, requestId, cancellationToken);
            await SqlUsageStore.InsertAsync(connection, transaction, usage, cancellationToken);
            return new Settlement(collected, uncollected, AlreadySettled: false);
        }, cancellationToken);

    public async Task<WalletState> GetWalletAsync(long accountId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database,
            """
            SELECT balance_micros, COALESCE((SELECT SUM(amount_micros) FROM holds WHERE account_id = @account AND expires_at > @now), 0)
            FROM accounts WHERE id = @account
            """,
            r => new WalletState(accountId, r.Long(0), r.Long(1)), cancellationToken,
            ("@account", accountId), ("@now", now.ToUnixTimeMilliseconds()))).Single();

    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(long accountId, int limit, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database, $"SELECT {LedgerColumns} FROM ledger WHERE account_id = @account ORDER BY id DESC LIMIT @limit", ReadEntry,
            cancellationToken, ("@account", accountId), ("@limit", limit));

    public async Task<long> SumLedgerAsync(long accountId, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, "SELECT COALESCE(SUM(amount_micros), 0) FROM ledger WHERE account_id = @account", r => r.Long(0),
            cancellationToken, ("@account", accountId))).Single();

    public Task<int> DeleteExpiredHoldsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM holds WHERE expires_at <= @now", cancellationToken, ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    public Task<int> ReleaseOrphanedHoldsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM holds WHERE (node = @node AND request_id NOT LIKE 'task-%') OR expires_at <= @now", cancellationToken,
            ("@node", node.Name), ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    /// <summary>The account's balance, its row locked until the transaction ends; null when there is no such account.</summary>
    private async Task<long?> LockBalanceAsync(DbConnection connection, DbTransaction transaction, long accountId, CancellationToken cancellationToken) =>
        await Sql.ScalarAsync(connection, transaction, $"SELECT balance_micros FROM accounts WHERE id = @account{database.Dialect.LockRows}",
            cancellationToken, ("@account", accountId)) is { } balance ? Convert.ToInt64(balance, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static async Task<long> HeldAsync(DbConnection connection, DbTransaction transaction, long accountId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Convert.ToInt64(await Sql.ScalarAsync(connection, transaction,
            "SELECT COALESCE(SUM(amount_micros), 0) FROM holds WHERE account_id = @account AND expires_at > @now", cancellationToken,
            ("@account", accountId), ("@now", now.ToUnixTimeMilliseconds())) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> DeleteHoldAsync(DbConnection connection, DbTransaction transaction, string requestId, CancellationToken cancellationToken) =>
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM holds WHERE request_id = @request", cancellationToken, ("@request", requestId));

    private static async Task<LedgerEntry> AppendAsync(DbConnection connection, DbTransaction transaction, long accountId, string kind, long amount,
        string? note, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await Sql.QueryAsync(connection, transaction,
            $"INSERT INTO ledger (account_id, kind, amount_micros, note, created_at) VALUES (@account, @kind, @amount, @note, @now) RETURNING {LedgerColumns}",
            ReadEntry, cancellationToken, ("@account", accountId), ("@kind", kind), ("@amount", amount), ("@note", note), ("@now", now.ToUnixTimeMilliseconds()))).Single();

    /// <summary>Keeps the cached balance equal to the ledger's sum; the CHECK constraint refuses a negative one.</summary>
    private static async Task AdjustBalanceAsync(DbConnection connection, DbTransaction transaction, long accountId, long delta, CancellationToken cancellationToken)
    {
        if (await Sql.ExecuteAsync(connection, transaction, "UPDATE accounts SET balance_micros = balance_micros + @delta WHERE id = @account",
            cancellationToken, ("@delta", delta), ("@account", accountId)) != 1)
        {
            throw new InvalidOperationException($"Account {accountId} does not exist.");
        }
    }

    private static LedgerEntry ReadEntry(DbDataReader r) => new(
        r.Long(0), r.Long(1), r.GetString(2), r.Long(3), r.NullableString(4), r.NullableString(5), r.Time(6), r.Long(7));
}
