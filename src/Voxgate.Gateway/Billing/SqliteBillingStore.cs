using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;

namespace Voxgate.Gateway.Billing;

public sealed class SqliteBillingStore(SqliteDatabase database) : IBillingStore
{
    private const string LedgerColumns = "id, account_id, kind, amount_micros, request_id, note, created_at, uncollected_micros";

    public (LedgerEntry TopUp, LedgerEntry Fee) TopUp(long accountId, long amountMicros, long feeMicros, string? note, DateTimeOffset now) =>
        database.Write((connection, transaction) =>
        {
            LedgerEntry topUp = Append(connection, transaction, accountId, "topup", amountMicros, null, note, now);
            LedgerEntry fee = Append(connection, transaction, accountId, "fee", -feeMicros, null, "platform fee on top-up " + topUp.Id, now);
            AdjustBalance(connection, transaction, accountId, amountMicros - feeMicros);
            return (topUp, fee);
        });

    public bool TryHold(long accountId, string requestId, long amountMicros, DateTimeOffset now, DateTimeOffset expiresAt) =>
        database.Write((connection, transaction) =>
        {
            // Inside one immediate transaction: no other writer can take a hold between this check and the insert.
            using SqliteCommand available = Sql.Command(connection, transaction,
                """
                SELECT balance_micros - COALESCE((SELECT SUM(amount_micros) FROM holds WHERE account_id = $account AND expires_at > $now), 0)
                FROM accounts WHERE id = $account
                """,
                ("$account", accountId), ("$now", now.ToUnixTimeMilliseconds()));
            if (available.ExecuteScalar() is not long spendable || spendable < amountMicros)
            {
                return false;
            }
            using SqliteCommand hold = Sql.Command(connection, transaction,
                "INSERT INTO holds (account_id, amount_micros, request_id, created_at, expires_at) VALUES ($account, $amount, $request, $now, $expires)",
                ("$account", accountId), ("$amount", amountMicros), ("$request", requestId), ("$now", now.ToUnixTimeMilliseconds()),
                ("$expires", expiresAt.ToUnixTimeMilliseconds()));
            hold.ExecuteNonQuery();
            return true;
        });

    public bool ExtendHold(string requestId, DateTimeOffset expiresAt) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand extend = Sql.Command(connection, transaction, "UPDATE holds SET expires_at = $expires WHERE request_id = $request",
                ("$expires", expiresAt.ToUnixTimeMilliseconds()), ("$request", requestId));
            return extend.ExecuteNonQuery() == 1;
        });

    public void ReleaseHold(string requestId) =>
        database.Write((connection, transaction) =>
        {
            DeleteHold(connection, transaction, requestId);
            return 0;
        });

    public Settlement Settle(string requestId, long? accountId, long chargeMicros, UsageRecord usage) =>
        database.Write((connection, transaction) =>
        {
            // A settlement retried after an unclear failure finds its usage row and changes nothing more.
            using (SqliteCommand settled = Sql.Command(connection, transaction, "SELECT 1 FROM usage WHERE request_id = $request LIMIT 1", ("$request", requestId)))
            {
                if (settled.ExecuteScalar() is not null)
                {
                    DeleteHold(connection, transaction, requestId);
                    return new Settlement(0, 0, AlreadySettled: true);
                }
            }
            long collected = 0, uncollected = 0;
            if (chargeMicros > 0 && accountId is long account)
            {
                // The hold kept this much available; if it was lost (the process stalled past its lifetime and others
                // spent the money), take what is there and record the rest, rather than fail and charge nothing.
                using (SqliteCommand balance = Sql.Command(connection, transaction, "SELECT balance_micros FROM accounts WHERE id = $account", ("$account", account)))
                {
                    long available = balance.ExecuteScalar() is long value ? value : throw new InvalidOperationException($"Account {account} does not exist.");
                    collected = Math.Clamp(available, 0, chargeMicros);
                    uncollected = chargeMicros - collected;
                }
                // The unique index on charge request ids makes a second settlement of the same request a no-op.
                using SqliteCommand charge = Sql.Command(connection, transaction,
                    """
                    INSERT INTO ledger (account_id, kind, amount_micros, request_id, created_at, uncollected_micros)
                    VALUES ($account, 'charge', $amount, $request, $now, $uncollected) ON CONFLICT DO NOTHING
                    """,
                    ("$account", account), ("$amount", -collected), ("$request", requestId), ("$now", usage.CreatedAt.ToUnixTimeMilliseconds()),
                    ("$uncollected", uncollected));
                if (charge.ExecuteNonQuery() == 0)
                {
                    DeleteHold(connection, transaction, requestId);
                    return new Settlement(0, 0, AlreadySettled: true);
                }
                AdjustBalance(connection, transaction, account, -collected);
            }
            DeleteHold(connection, transaction, requestId);
            SqliteUsageStore.Insert(connection, transaction, usage);
            return new Settlement(collected, uncollected, AlreadySettled: false);
        });

    public WalletState GetWallet(long accountId, DateTimeOffset now) =>
        Sql.Query(database,
            """
            SELECT balance_micros, COALESCE((SELECT SUM(amount_micros) FROM holds WHERE account_id = $account AND expires_at > $now), 0)
            FROM accounts WHERE id = $account
            """,
            r => new WalletState(accountId, r.GetInt64(0), r.GetInt64(1)),
            ("$account", accountId), ("$now", now.ToUnixTimeMilliseconds())).Single();

    public IReadOnlyList<LedgerEntry> GetLedger(long accountId, int limit) =>
        Sql.Query(database, $"SELECT {LedgerColumns} FROM ledger WHERE account_id = $account ORDER BY id DESC LIMIT $limit", ReadEntry,
            ("$account", accountId), ("$limit", limit));

    public long SumLedger(long accountId) =>
        Sql.Query(database, "SELECT COALESCE(SUM(amount_micros), 0) FROM ledger WHERE account_id = $account", r => r.GetInt64(0), ("$account", accountId)).Single();

    public int DeleteExpiredHolds(DateTimeOffset now) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand delete = Sql.Command(connection, transaction, "DELETE FROM holds WHERE expires_at <= $now", ("$now", now.ToUnixTimeMilliseconds()));
            return delete.ExecuteNonQuery();
        });

    public int ReleaseOrphanedHolds(DateTimeOffset now) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand delete = Sql.Command(connection, transaction,
                "DELETE FROM holds WHERE request_id NOT LIKE 'task-%' OR expires_at <= $now", ("$now", now.ToUnixTimeMilliseconds()));
            return delete.ExecuteNonQuery();
        });

    private static void DeleteHold(SqliteConnection connection, SqliteTransaction transaction, string requestId)
    {
        using SqliteCommand release = Sql.Command(connection, transaction, "DELETE FROM holds WHERE request_id = $request", ("$request", requestId));
        release.ExecuteNonQuery();
    }

    private static LedgerEntry Append(SqliteConnection connection, SqliteTransaction transaction, long accountId, string kind, long amount,
        string? requestId, string? note, DateTimeOffset now)
    {
        using SqliteCommand insert = Sql.Command(connection, transaction,
            $"INSERT INTO ledger (account_id, kind, amount_micros, request_id, note, created_at) VALUES ($account, $kind, $amount, $request, $note, $now) RETURNING {LedgerColumns}",
            ("$account", accountId), ("$kind", kind), ("$amount", amount), ("$request", requestId), ("$note", note), ("$now", now.ToUnixTimeMilliseconds()));
        using SqliteDataReader reader = insert.ExecuteReader();
        reader.Read();
        return ReadEntry(reader);
    }

    /// <summary>Keeps the cached balance equal to the ledger's sum; the CHECK constraint refuses a negative one.</summary>
    private static void AdjustBalance(SqliteConnection connection, SqliteTransaction transaction, long accountId, long delta)
    {
        using SqliteCommand update = Sql.Command(connection, transaction,
            "UPDATE accounts SET balance_micros = balance_micros + $delta WHERE id = $account", ("$delta", delta), ("$account", accountId));
        if (update.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"Account {accountId} does not exist.");
        }
    }

    private static LedgerEntry ReadEntry(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), Sql.Time(r.GetInt64(6)), r.GetInt64(7));
}
