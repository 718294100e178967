using System.Globalization;
using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Usage;

public sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    public void Record(UsageRecord record) =>
        database.Write((connection, transaction) =>
        {
            Insert(connection, transaction, record);
            return 0;
        });

    public IReadOnlyList<UsageByDay> ByDay(long? accountId, DateTimeOffset from, DateTimeOffset to) =>
        Sql.Query(database,
            """
            SELECT date(created_at / 1000, 'unixepoch') AS day, COALESCE(model, ''), COUNT(*), SUM(characters), SUM(cost_micros), SUM(byok)
            FROM usage
            WHERE ($account IS NULL OR account_id = $account) AND created_at >= $from AND created_at < $to
            GROUP BY day, model
            ORDER BY day, model
            """,
            r => new UsageByDay(DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), r.GetString(1),
                r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt32(5)),
            ("$account", accountId), ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()));

    public IReadOnlyList<ModelRanking> RankModels(DateTimeOffset from, DateTimeOffset to) =>
        Sql.Query(database,
            """
            SELECT model, COUNT(*), SUM(characters), SUM(cost_micros), COUNT(DISTINCT account_id)
            FROM usage
            WHERE model IS NOT NULL AND status IN ('succeeded', 'cancelled') AND created_at >= $from AND created_at < $to
            GROUP BY model
            ORDER BY SUM(characters) DESC, COUNT(*) DESC, model
            """,
            r => new ModelRanking(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3), r.GetInt32(4)),
            ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()));

    public IReadOnlyList<UsageRecord> Recent(long accountId, int limit) =>
        Sql.Query(database,
            """
            SELECT request_id, account_id, api_key_id, model, characters, cost_micros, byok, status, latency_ms, created_at
            FROM usage WHERE account_id = $account ORDER BY id DESC LIMIT $limit
            """,
            r => new UsageRecord(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.GetInt32(4), r.GetInt64(5), r.GetInt64(6) != 0, r.GetString(7), r.GetInt32(8),
                Sql.Time(r.GetInt64(9))),
            ("$account", accountId), ("$limit", limit));

    /// <summary>Inserts a usage row inside the caller's transaction (settlement records usage with the charge).</summary>
    internal static void Insert(SqliteConnection connection, SqliteTransaction transaction, UsageRecord u)
    {
        using SqliteCommand insert = Sql.Command(connection, transaction,
            """
            INSERT INTO usage (request_id, account_id, api_key_id, model, characters, cost_micros, byok, status, latency_ms, created_at)
            VALUES ($request, $account, $key, $model, $characters, $cost, $byok, $status, $latency, $at)
            """,
            ("$request", u.RequestId), ("$account", u.AccountId), ("$key", u.KeyId), ("$model", u.Model), ("$characters", u.Characters),
            ("$cost", u.CostMicros), ("$byok", u.Byok ? 1 : 0), ("$status", u.Status), ("$latency", u.LatencyMs), ("$at", u.CreatedAt.ToUnixTimeMilliseconds()));
        insert.ExecuteNonQuery();
    }
}
