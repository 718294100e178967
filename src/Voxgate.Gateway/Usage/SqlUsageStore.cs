using System.Data.Common;
using System.Globalization;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Usage;

public sealed class SqlUsageStore(IDatabase database) : IUsageStore
{
    private const string Served = "status IN ('succeeded', 'cancelled')";

    public async Task AddRefusalsAsync(IReadOnlyCollection<KeyValuePair<RefusalKey, long>> counts, CancellationToken cancellationToken = default)
    {
        if (counts.Count == 0)
        {
            return;
        }
        await database.WriteAsync(async (connection, transaction) =>
        {
            foreach ((RefusalKey key, long count) in counts)
            {
                await Sql.ExecuteAsync(connection, transaction,
                    """
                    INSERT INTO refusals (minute, account_id, api_key_id, model, status, count) VALUES (@minute, @account, @key, @model, @status, @count)
                    ON CONFLICT (minute, account_id, api_key_id, model, status) DO UPDATE SET count = refusals.count + excluded.count
                    """,
                    cancellationToken, ("@minute", key.Minute), ("@account", key.AccountId), ("@key", key.KeyId), ("@model", key.Model),
                    ("@status", key.Status), ("@count", count));
            }
            return 0;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageByDay>> ByDayAsync(long? accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        SqlDialect dialect = database.Dialect;
        return await Sql.QueryAsync(database,
            $"""
            WITH rows (day, model, requests, characters, cost, byok, failed, refused) AS (
                SELECT {dialect.UtcDay("created_at")}, COALESCE(model, ''),
                       SUM(CASE WHEN {Served} THEN 1 ELSE 0 END),
                       SUM(CASE WHEN {Served} THEN characters ELSE 0 END),
                       SUM(cost_micros),
                       SUM(CASE WHEN {Served} THEN byok ELSE 0 END),
                       SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0
                FROM usage
                WHERE created_at >= @from AND created_at < @to{AccountFilter(accountId)}
                GROUP BY 1, 2
                UNION ALL
                SELECT {dialect.UtcDay("minute * 60000")}, model, 0, 0, 0, 0, 0, SUM(count)
                FROM refusals
                WHERE minute >= @fromMinute AND minute < @toMinute{AccountFilter(accountId)}
                GROUP BY 1, 2
            )
            SELECT day, model, SUM(requests), SUM(characters), SUM(cost), SUM(byok), SUM(failed), SUM(refused)
            FROM rows GROUP BY day, model ORDER BY day, model
            """,
            r => new UsageByDay(DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), r.GetString(1),
                r.Int(2), r.Long(3), r.Long(4), r.Int(5), r.Int(6), r.Long(7)),
            cancellationToken, Period(accountId, from, to));
    }

    public async Task<IReadOnlyList<RefusalTotal>> RefusalsAsync(long? accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database,
            $"""
            SELECT status, SUM(count) FROM refusals
            WHERE minute >= @fromMinute AND minute < @toMinute{AccountFilter(accountId)}
            GROUP BY status ORDER BY status
            """,
            r => new RefusalTotal(r.GetString(0), r.Long(1)), cancellationToken, Period(accountId, from, to));

    public async Task<IReadOnlyList<ModelRanking>> RankModelsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database,
            $"""
            WITH served AS (
                SELECT model, SUM(CASE WHEN {Served} THEN 1 ELSE 0 END) AS requests,
                       SUM(CASE WHEN {Served} THEN characters ELSE 0 END) AS characters,
                       SUM(cost_micros) AS cost,
                       COUNT(DISTINCT CASE WHEN {Served} THEN account_id END) AS accounts,
                       SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed
                FROM usage
                WHERE model IS NOT NULL AND created_at >= @from AND created_at < @to
                GROUP BY model
            ),
            refused AS (
                SELECT model, SUM(count) AS refused FROM refusals
                WHERE model <> '' AND minute >= @fromMinute AND minute < @toMinute
                GROUP BY model
            ),
            models AS (SELECT model FROM served UNION SELECT model FROM refused)
            SELECT m.model, COALESCE(s.requests, 0) AS requests, COALESCE(s.characters, 0) AS characters, COALESCE(s.cost, 0),
                   COALESCE(s.accounts, 0), COALESCE(s.failed, 0), COALESCE(f.refused, 0)
            FROM models m LEFT JOIN served s ON s.model = m.model LEFT JOIN refused f ON f.model = m.model
            ORDER BY characters DESC, requests DESC, m.model
            """,
            r => new ModelRanking(r.GetString(0), r.Int(1), r.Long(2), r.Long(3), r.Int(4), r.Int(5), r.Long(6)),
            cancellationToken, Period(null, from, to));

    /// <summary>
    /// One scan of the period's rows (by <c>usage_by_time</c>); the median is the middle row (or the mean of the two
    /// middle rows) of each model's succeeded requests ordered by their time to first byte, found with window
    /// functions both providers have, so no row leaves the database.
    /// </summary>
    public async Task<IReadOnlyList<ModelFigures>> ModelFiguresAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database,
            """
            WITH timed AS (
                SELECT model, first_byte_ms,
                       ROW_NUMBER() OVER (PARTITION BY model ORDER BY first_byte_ms) AS position,
                       COUNT(*) OVER (PARTITION BY model) AS timed
                FROM usage
                WHERE model IS NOT NULL AND created_at >= @from AND created_at < @to AND status = 'succeeded' AND first_byte_ms IS NOT NULL
            ),
            medians AS (
                SELECT model, AVG(CAST(first_byte_ms AS DOUBLE PRECISION)) AS median FROM timed
                WHERE position IN ((timed + 1) / 2, (timed + 2) / 2)
                GROUP BY model
            ),
            totals AS (
                SELECT model, COUNT(*) AS requests,
                       SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
                       SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
                       SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
                       SUM(CASE WHEN status = 'succeeded' THEN characters ELSE 0 END) AS characters,
                       SUM(CASE WHEN status = 'succeeded' THEN COALESCE(audio_ms, 0) ELSE 0 END) AS audio_ms,
                       SUM(CASE WHEN status = 'succeeded' AND latency_ms > 0 THEN characters ELSE 0 END) AS timed_characters,
                       SUM(CASE WHEN status = 'succeeded' AND latency_ms > 0 THEN latency_ms ELSE 0 END) AS timed_ms
                FROM usage
                WHERE model IS NOT NULL AND created_at >= @from AND created_at < @to
                GROUP BY model
            )
            SELECT t.model, t.requests, t.succeeded, t.failed, t.cancelled, t.characters, t.audio_ms, m.median, t.timed_characters, t.timed_ms
            FROM totals t LEFT JOIN medians m ON m.model = t.model
            ORDER BY t.requests DESC, t.model
            """,
            r => new ModelFigures(r.GetString(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Long(5), r.Long(6),
                r.IsDBNull(7) ? null : Convert.ToDouble(r.GetValue(7), CultureInfo.InvariantCulture),
                r.Long(9) > 0 ? r.Long(8) * 1000.0 / r.Long(9) : null),
            cancellationToken, Period(null, from, to));

    public async Task<IReadOnlyList<UsageRecord>> RecentAsync(long accountId, int limit, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database,
            """
            SELECT request_id, account_id, api_key_id, model, characters, cost_micros, byok, status, latency_ms, created_at, first_byte_ms, audio_ms, route
            FROM usage WHERE account_id = @account ORDER BY id DESC LIMIT @limit
            """,
            r => new UsageRecord(r.GetString(0), r.NullableLong(1), r.NullableLong(2), r.NullableString(3), r.Int(4), r.Long(5), r.Long(6) != 0,
                r.GetString(7), r.Int(8), r.Time(9), r.NullableInt(10), r.NullableInt(11), r.NullableString(12)),
            cancellationToken, ("@account", accountId), ("@limit", limit));

    /// <summary>
    /// The statement that inserts a usage row, and its parameters (named <c>@usage_*</c>, apart from any other
    /// statement's): settlement sends it in one batch with the charge.
    /// </summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) Insert(UsageRecord u) => (
        """
        INSERT INTO usage (request_id, account_id, api_key_id, model, characters, cost_micros, byok, status, latency_ms, created_at, first_byte_ms, audio_ms, route)
        VALUES (@usage_request, @usage_account, @usage_key, @usage_model, @usage_characters, @usage_cost, @usage_byok, @usage_status, @usage_latency, @usage_at,
                @usage_first_byte, @usage_audio, @usage_route)
        """,
        [
            ("@usage_request", u.RequestId), ("@usage_account", u.AccountId), ("@usage_key", u.KeyId), ("@usage_model", u.Model),
            ("@usage_characters", u.Characters), ("@usage_cost", u.CostMicros), ("@usage_byok", u.Byok ? 1 : 0), ("@usage_status", u.Status),
            ("@usage_latency", u.LatencyMs), ("@usage_at", u.CreatedAt.ToUnixTimeMilliseconds()), ("@usage_first_byte", u.FirstByteMs), ("@usage_audio", u.AudioMs),
            ("@usage_route", u.Route),
        ]);

    /// <summary>Every account, or one: a condition only when there is an account to compare with (no untyped null parameter).</summary>
    private static string AccountFilter(long? accountId) => accountId is null ? "" : " AND account_id = @account";

    private static (string, object?)[] Period(long? accountId, DateTimeOffset from, DateTimeOffset to) =>
    [
        ("@account", accountId ?? 0L), ("@from", from.ToUnixTimeMilliseconds()), ("@to", to.ToUnixTimeMilliseconds()),
        ("@fromMinute", from.ToUnixTimeMilliseconds() / 60_000), ("@toMinute", to.ToUnixTimeMilliseconds() / 60_000),
    ];
}
