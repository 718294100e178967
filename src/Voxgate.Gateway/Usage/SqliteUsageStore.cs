using System.Globalization;
using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Usage;

public sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    public void AddRefusals(IReadOnlyCollection<KeyValuePair<RefusalKey, long>> counts)
    {
        if (counts.Count == 0)
        {
            return;
        }
        database.Write((connection, transaction) =>
        {
            using SqliteCommand upsert = Sql.Command(connection, transaction,
                """
                INSERT INTO refusals (minute, account_id, api_key_id, model, status, count) VALUES ($minute, $account, $key, $model, $status, $count)
                ON CONFLICT (minute, account_id, api_key_id, model, status) DO UPDATE SET count = count + excluded.count
                """,
                ("$minute", 0L), ("$account", 0L), ("$key", 0L), ("$model", ""), ("$status", ""), ("$count", 0L));
            foreach ((RefusalKey key, long count) in counts)
            {
                upsert.Parameters["$minute"].Value = key.Minute;
                upsert.Parameters["$account"].Value = key.AccountId;
                upsert.Parameters["$key"].Value = key.KeyId;
                upsert.Parameters["$model"].Value = key.Model;
                upsert.Parameters["$status"].Value = key.Status;
                upsert.Parameters["$count"].Value = count;
                upsert.ExecuteNonQuery();
            }
            return 0;
        });
    }

    public IReadOnlyList<UsageByDay> ByDay(long? accountId, DateTimeOffset from, DateTimeOffset to) =>
        Sql.Query(database,
            """
            WITH rows (day, model, requests, characters, cost, byok, failed, refused) AS (
                SELECT date(created_at / 1000, 'unixepoch'), COALESCE(model, ''),
                       SUM(status IN ('succeeded', 'cancelled')),
                       SUM(CASE WHEN status IN ('succeeded', 'cancelled') THEN characters ELSE 0 END),
                       SUM(cost_micros),
                       SUM(CASE WHEN status IN ('succeeded', 'cancelled') THEN byok ELSE 0 END),
                       SUM(status = 'failed'), 0
                FROM usage
                WHERE ($account IS NULL OR account_id = $account) AND created_at >= $from AND created_at < $to
                GROUP BY 1, 2
                UNION ALL
                SELECT date(minute * 60, 'unixepoch'), model, 0, 0, 0, 0, 0, SUM(count)
                FROM refusals
                WHERE ($account IS NULL OR account_id = $account) AND minute >= $fromMinute AND minute < $toMinute
                GROUP BY 1, 2
            )
            SELECT day, model, SUM(requests), SUM(characters), SUM(cost), SUM(byok), SUM(failed), SUM(refused)
            FROM rows GROUP BY day, model ORDER BY day, model
            """,
            r => new UsageByDay(DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), r.GetString(1),
                r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt32(5), r.GetInt32(6), r.GetInt64(7)),
            Period(accountId, from, to));

    public IReadOnlyList<RefusalTotal> Refusals(long? accountId, DateTimeOffset from, DateTimeOffset to) =>
        Sql.Query(database,
            """
            SELECT status, SUM(count) FROM refusals
            WHERE ($account IS NULL OR account_id = $account) AND minute >= $fromMinute AND minute < $toMinute
            GROUP BY status ORDER BY status
            """,
            r => new RefusalTotal(r.GetString(0), r.GetInt64(1)),
            Period(accountId, from, to));

    public IReadOnlyList<ModelRanking> RankModels(DateTimeOffset from, DateTimeOffset to) =>
        Sql.Query(database,
            """
            WITH served AS (
                SELECT model, SUM(status IN ('succeeded', 'cancelled')) AS requests,
                       SUM(CASE WHEN status IN ('succeeded', 'cancelled') THEN characters ELSE 0 END) AS characters,
                       SUM(cost_micros) AS cost,
                       COUNT(DISTINCT CASE WHEN status IN ('succeeded', 'cancelled') THEN account_id END) AS accounts,
                       SUM(status = 'failed') AS failed
                FROM usage
                WHERE model IS NOT NULL AND created_at >= $from AND created_at < $to
                GROUP BY model
            ),
            refused AS (
                SELECT model, SUM(count) AS refused FROM refusals
                WHERE model <> '' AND minute >= $fromMinute AND minute < $toMinute
                GROUP BY model
            ),
            models AS (SELECT model FROM served UNION SELECT model FROM refused)
            SELECT m.model, COALESCE(s.requests, 0), COALESCE(s.characters, 0), COALESCE(s.cost, 0), COALESCE(s.accounts, 0),
                   COALESCE(s.failed, 0), COALESCE(f.refused, 0)
            FROM models m LEFT JOIN served s ON s.model = m.model LEFT JOIN refused f ON f.model = m.model
            ORDER BY 3 DESC, 2 DESC, 1
            """,
            r => new ModelRanking(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3), r.GetInt32(4), r.GetInt32(5), r.GetInt64(6)),
            Period(null, from, to));

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

    private static (string, object?)[] Period(long? accountId, DateTimeOffset from, DateTimeOffset to) =>
    [
        ("$account", accountId), ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()),
        ("$fromMinute", from.ToUnixTimeMilliseconds() / 60_000), ("$toMinute", to.ToUnixTimeMilliseconds() / 60_000),
    ];

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
