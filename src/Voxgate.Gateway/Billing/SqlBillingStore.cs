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
        // Inserts the hold only if the balance less the live holds covers it.
        WithAccountLockedAsync(
            """
            INSERT INTO holds (account_id, amount_micros, request_id, created_at, expires_at, node)
            SELECT @account, @amount, @request, @now, @expires, @node
            WHERE (SELECT balance_micros FROM accounts WHERE id = @account)
                - (SELECT COALESCE(SUM(amount_micros), 0) FROM holds WHERE account_id = @account AND expires_at > @now) >= @amount
            RETURNING id
            """, accountId, requestId, amountMicros, now, expiresAt, cancellationToken);

    public Task<bool> TryRaiseHoldAsync(long accountId, string requestId, long amountMicros, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default) =>
        // Raises the live hold only if the balance less every other live hold covers its new amount.
        WithAccountLockedAsync(
            """
            UPDATE holds SET amount_micros = @amount, expires_at = @expires
            WHERE request_id = @request AND account_id = @account AND expires_at > @now
                AND (SELECT balance_micros FROM accounts WHERE id = @account)
                    - (SELECT COALESCE(SUM(amount_micros), 0) FROM holds
                       WHERE account_id = @account AND expires_at > @now AND request_id <> @request) >= @amount
            RETURNING id
            """, accountId, requestId, amountMicros, now, expiresAt, cancellationToken);

    /// <summary>
    /// One round trip (one command, no BEGIN or COMMIT on PostgreSQL) for a hold: the first statement makes the
    /// account's row this transaction's until it ends (on SQLite the write transaction already excludes every other
    /// writer); <paramref name="statement"/>, which sees every hold committed before the lock was granted, writes the
    /// hold if the balance allows and returns a row if it did.
    /// </summary>
    private Task<bool> WithAccountLockedAsync(string statement, long accountId, string requestId, long amountMicros, DateTimeOffset now,
        DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteOneCommandAsync(async (connection, transaction) =>
        {
            await using DbCommand command = Sql.Command(connection, transaction,
                $"SELECT balance_micros FROM accounts WHERE id = @account{database.Dialect.LockRows};\n{statement}",
                ("@account", accountId), ("@amount", amountMicros), ("@request", requestId), ("@now", now.ToUnixTimeMilliseconds()),
                ("@expires", expiresAt.ToUnixTimeMilliseconds()), ("@node", node.Name));
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken);
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
            long? charged = chargeMicros > 0 ? accountId : null;
            long? balance = null;
            bool settled;
            // Round trip 1: the account's row locked (when there is a charge), then, seeing everything committed
            // before the lock was granted, whether this request was settled already (a retry after an unclear failure).
            await using (DbCommand command = Sql.Command(connection, transaction,
                (charged is null ? "" : $"SELECT balance_micros FROM accounts WHERE id = @account{database.Dialect.LockRows};\n")
                + "SELECT 1 FROM usage WHERE request_id = @request LIMIT 1",
                ("@account", charged ?? 0L), ("@request", requestId)))
            await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (charged is long account)
                {
                    balance = await reader.ReadAsync(cancellationToken) ? reader.Long(0) : throw new InvalidOperationException($"Account {account} does not exist.");
                    await reader.NextResultAsync(cancellationToken);
                }
                settled = await reader.ReadAsync(cancellationToken);
            }
            if (settled)
            {
                await DeleteHoldAsync(connection, transaction, requestId, cancellationToken);
                return new Settlement(0, 0, AlreadySettled: true);
            }

            // The hold kept this much available; if it was lost (the process stalled past its lifetime and others spent
            // the money), take what is there and record the rest, rather than fail and charge nothing.
            long collected = Math.Clamp(balance ?? 0, 0, chargeMicros);
            long uncollected = charged is null ? 0 : chargeMicros - collected;
            (string insertUsage, (string, object?)[] usageParameters) = SqlUsageStore.Insert(usage);
            // Round trip 2: the charge, the balance, the hold and the usage row, in one batch.
            await using (DbCommand command = Sql.Command(connection, transaction,
                (charged is null ? "" :
                    """
                    INSERT INTO ledger (account_id, kind, amount_micros, request_id, created_at, uncollected_micros)
                    VALUES (@account, 'charge', @amount, @request, @now, @uncollected) ON CONFLICT DO NOTHING RETURNING id;
                    UPDATE accounts SET balance_micros = balance_micros - @collected WHERE id = @account;

                    """)
                + "DELETE FROM holds WHERE request_id = @request;\n" + insertUsage,
                [("@account", charged ?? 0L), ("@amount", -collected), ("@collected", collected), ("@request", requestId),
                 ("@now", usage.CreatedAt.ToUnixTimeMilliseconds()), ("@uncollected", uncollected), .. usageParameters]))
            await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                // The unique index on charge request ids is the last guard: a charge already there (which the lock and
                // the usage check above rule out) rolls the whole settlement back rather than take the money twice.
                if (charged is not null && !await reader.ReadAsync(cancellationToken))
                {
                    throw new InvalidOperationException($"Request {requestId} was charged already; its settlement is rolled back.");
                }
            }
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

    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(long accountId, int limit, long? beforeId = null, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database,
            $"SELECT {LedgerColumns} FROM ledger WHERE account_id = @account AND id < @before ORDER BY id DESC LIMIT @limit", ReadEntry,
            cancellationToken, ("@account", accountId), ("@limit", limit), ("@before", beforeId ?? long.MaxValue));

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
