using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Voxgate.Gateway.Storage;

/// <summary>
/// PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>, for several nodes on one database. Write transactions
/// are READ COMMITTED; the stores lock the rows their decisions rest on (<see cref="SqlDialect.LockRows"/>). A
/// transaction the server ends for a deadlock or a serialization failure is run again, a few times.
/// </summary>
public sealed partial class PostgresDatabase : IDatabase, IAsyncDisposable
{
    /// <summary>The advisory lock under which one node at a time applies migrations (an arbitrary, fixed number).</summary>
    private const long MigrationLock = 0x766f7867617465; // "voxgate"

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresDatabase> _logger;
    private readonly SemaphoreSlim _migrating = new(1, 1);
    private int? _schemaVersion;

    public PostgresDatabase(string connectionString, ILogger<PostgresDatabase> logger)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = Describe(builder);
        // Defaults for a gateway that sends the same few statements on every request (an operator's own settings in
        // the connection string win): prepared once per connection and reused; no DISCARD ALL when a connection goes
        // back to the pool, which would throw the prepared statements away (no session state is ever left: every
        // transaction ends, the migration lock is a transaction's); and a pool of 32 connections, so that several
        // nodes fit in PostgreSQL's default 100 connections (a request holds one only for a short transaction).
        HashSet<string> given = GivenKeywords(connectionString);
        if (!given.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!given.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }
        if (!given.Overlaps(["maximumpoolsize", "maxpoolsize"]))
        {
            builder.MaxPoolSize = 32;
        }
        _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        _logger = logger;
    }

    /// <summary>The settings the pool runs with (no password), after Voxgate's defaults.</summary>
    internal NpgsqlConnectionStringBuilder Settings => new(_dataSource.ConnectionString);

    public string Provider => DatabaseAddress.Postgres;

    public string Location { get; }

    public bool Shared => true;

    public SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>
    /// The keywords a connection string sets, lower-case without spaces (Npgsql's own builder reports every keyword it
    /// knows as present, set or not).
    /// </summary>
    private static HashSet<string> GivenKeywords(string connectionString) =>
        [.. new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(keyword => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())];

    public static string Describe(NpgsqlConnectionStringBuilder builder) => $"postgres {builder.Host}:{builder.Port}/{builder.Database}";

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        if (_schemaVersion is int known)
        {
            return known;
        }
        await _migrating.WaitAsync(cancellationToken);
        try
        {
            if (_schemaVersion is null)
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
                // One node at a time: the others wait here, then find every migration recorded.
                await Sql.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@lock)", cancellationToken, ("@lock", MigrationLock));
                (int version, List<string> applied) = await Migrations.ApplyAsync(connection, transaction, "Postgres", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                foreach (string name in applied)
                {
                    LogMigrationApplied(_logger, name, Location);
                }
                _schemaVersion = version;
            }
            return _schemaVersion.Value;
        }
        finally
        {
            _migrating.Release();
        }
    }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RetryEndedAsync(async () =>
        {
            await using DbConnection connection = await OpenAsync(cancellationToken);
            await using DbTransaction transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            T result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    public Task<T> WriteOneCommandAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        RetryEndedAsync(async () =>
        {
            // No BEGIN and COMMIT: Npgsql sends a command's statements with one Sync at the end (no error barriers), so
            // PostgreSQL runs them as one implicit transaction, and the row locks its first statement takes last to the end.
            await using DbConnection connection = await OpenAsync(cancellationToken);
            return await work(connection, null);
        });

    /// <summary>Runs a transaction again when PostgreSQL ended it to break a deadlock or a serialization conflict.</summary>
    private async Task<T> RetryEndedAsync<T>(Func<Task<T>> transaction)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 4)
            {
                LogRetried(_logger, ex.SqlState, attempt);
            }
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Name} to {Location}")]
    private static partial void LogMigrationApplied(ILogger logger, string name, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transaction ended by PostgreSQL ({SqlState}) is run again (attempt {Attempt})")]
    private static partial void LogRetried(ILogger logger, string sqlState, int attempt);
}
