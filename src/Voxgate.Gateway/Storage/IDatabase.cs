using System.Data.Common;

namespace Voxgate.Gateway.Storage;

/// <summary>
/// The database every store works on: connections, one kind of write transaction, the provider's migrations, and
/// the few places where the providers' SQL differs (<see cref="SqlDialect"/>). Implementations: <see cref="SqliteDatabase"/>
/// (the embedded default, one writer at a time) and <see cref="PostgresDatabase"/> (many nodes, row locks).
/// </summary>
public interface IDatabase
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Provider { get; }

    /// <summary>Where it is, for logs and <c>/readyz</c>: a file path, or host and database (never a password).</summary>
    string Location { get; }

    /// <summary>True when other processes (other nodes) may write to it at the same time as this one.</summary>
    bool Shared { get; }

    SqlDialect Dialect { get; }

    /// <summary>
    /// Applies the provider's migrations that are not yet recorded, in order, and returns the schema version. Safe to
    /// call from several processes at once: one applies them while the others wait, then find nothing left to do.
    /// </summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>An open connection to the migrated database; the caller disposes it.</summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it. On SQLite the transaction takes the write
    /// lock at once (no other writer until it ends); on PostgreSQL it is READ COMMITTED and the work locks the rows it
    /// must (see <see cref="SqlDialect.LockRows"/>).
    /// </summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/>, which sends exactly one command (one or more statements), as one write transaction
    /// with the guarantees of <see cref="WriteAsync{T}"/>. On PostgreSQL that is one round trip instead of three: the
    /// statements run in the implicit transaction of one protocol Sync, without BEGIN and COMMIT (the transaction given
    /// to <paramref name="work"/> is null there). A statement that fails rolls back the ones before it.
    /// </summary>
    Task<T> WriteOneCommandAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken);
}

/// <summary>The SQL that differs between the providers; everything else is written once, with <c>@name</c> parameters.</summary>
/// <param name="LockRows">Appended to a SELECT whose rows the transaction must own until it ends: <c>FOR UPDATE</c>
/// on PostgreSQL; nothing on SQLite, whose write transaction already excludes every other writer.</param>
/// <param name="SkipLockedRows">Appended to a SELECT that must pass over rows another transaction owns (task claiming).</param>
/// <param name="UtcDay">The UTC day (<c>YYYY-MM-DD</c> text) of an expression in Unix milliseconds.</param>
public sealed record SqlDialect(string LockRows, string SkipLockedRows, Func<string, string> UtcDay)
{
    public static SqlDialect Sqlite { get; } = new("", "", expression => $"date({expression} / 1000, 'unixepoch')");

    public static SqlDialect Postgres { get; } = new(" FOR UPDATE", " FOR UPDATE SKIP LOCKED",
        expression => $"to_char(to_timestamp({expression} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
}
