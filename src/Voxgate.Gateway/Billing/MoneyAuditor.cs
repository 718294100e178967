using System.Data;
using System.Data.Common;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Billing;

/// <summary>One broken money invariant: which check, about what (an account, a request, a task), and the numbers.</summary>
public sealed record AuditFinding(string Check, string Subject, string Detail);

/// <summary>Checks the money invariants an operator relies on, and reports every place one is broken.</summary>
public interface IMoneyAuditor
{
    /// <summary>Every finding; none when the books are sound.</summary>
    Task<IReadOnlyList<AuditFinding>> AuditAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// The invariants, each one query over the whole database: every balance is its ledger's sum and not negative; every
/// charge has its usage row and matches what that row says was charged; no request is charged twice; no hold outlives
/// its lifetime (its request's process died) or its request's settlement; every finished task is charged exactly as
/// its outcome says, and every unfinished one has its money held.
/// </summary>
public sealed class SqlMoneyAuditor(IDatabase database) : IMoneyAuditor
{
    private static readonly (string Check, string Sql)[] s_checks =
    [
        ("balance_is_ledger_sum",
            """
            SELECT 'account ' || a.name, 'balance ' || a.balance_micros || ', ledger sum ' || COALESCE(SUM(l.amount_micros), 0)
            FROM accounts a LEFT JOIN ledger l ON l.account_id = a.id
            GROUP BY a.id HAVING a.balance_micros <> COALESCE(SUM(l.amount_micros), 0)
            """),
        ("balance_not_negative",
            "SELECT 'account ' || name, 'balance ' || balance_micros FROM accounts WHERE balance_micros < 0"),
        ("charge_has_usage",
            """
            SELECT 'request ' || l.request_id, 'charged ' || (-l.amount_micros) || ' with no usage row'
            FROM ledger l WHERE l.kind = 'charge' AND NOT EXISTS (SELECT 1 FROM usage u WHERE u.request_id = l.request_id)
            """),
        ("charged_once",
            """
            SELECT 'request ' || request_id, COUNT(*) || ' charges'
            FROM ledger WHERE kind = 'charge' GROUP BY request_id HAVING COUNT(*) > 1
            """),
        ("usage_matches_charge",
            """
            SELECT 'request ' || u.request_id, 'usage says ' || u.cost_micros || ', ledger charged ' || COALESCE(-l.amount_micros + l.uncollected_micros, 0)
            FROM usage u LEFT JOIN ledger l ON l.kind = 'charge' AND l.request_id = u.request_id
            WHERE u.cost_micros <> COALESCE(-l.amount_micros + l.uncollected_micros, 0)
            """),
        ("hold_within_lifetime",
            """
            SELECT 'request ' || request_id, 'hold of ' || amount_micros || ' expired at ' || expires_at || ' without being settled'
            FROM holds WHERE expires_at <= @now
            """),
        ("hold_released_at_settlement",
            """
            SELECT 'request ' || h.request_id, 'hold of ' || h.amount_micros || ' outlived its settlement'
            FROM holds h WHERE EXISTS (SELECT 1 FROM usage u WHERE u.request_id = h.request_id)
            """),
        ("succeeded_task_settled",
            """
            SELECT 'task ' || t.id, 'succeeded without a succeeded usage row'
            FROM tasks t WHERE t.status = 'succeeded'
              AND NOT EXISTS (SELECT 1 FROM usage u WHERE u.request_id = 'task-' || t.id AND u.status = 'succeeded')
            """),
        ("failed_task_uncharged",
            """
            SELECT 'task ' || t.id, 'failed but charged ' || (-l.amount_micros)
            FROM tasks t JOIN ledger l ON l.kind = 'charge' AND l.request_id = 'task-' || t.id
            WHERE t.status = 'failed'
            """),
        ("unfinished_task_held",
            """
            SELECT 'task ' || t.id, t.status || ' with no live hold'
            FROM tasks t WHERE t.status IN ('queued', 'processing')
              AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.request_id = 'task-' || t.id AND h.expires_at > @now)
            """),
    ];

    public async Task<IReadOnlyList<AuditFinding>> AuditAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        // One snapshot: every check sees the same moment, even while servers write.
        await using DbTransaction snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var findings = new List<AuditFinding>();
        foreach ((string check, string sql) in s_checks)
        {
            (string, object?)[] parameters = sql.Contains("@now", StringComparison.Ordinal) ? [("@now", now.ToUnixTimeMilliseconds())] : [];
            findings.AddRange(await Sql.QueryAsync(connection, snapshot, sql, r => new AuditFinding(check, r.GetString(0), r.GetString(1)),
                cancellationToken, parameters));
        }
        return findings;
    }
}
