using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Voxgate.Gateway.Storage;

/// <summary>
/// The embedded database: one SQLite file in WAL mode (so the CLI and a running server can share it), one writer at a
/// time (every write transaction takes the lock at once, BEGIN IMMEDIATE), pooled connections. Its async methods
/// complete synchronously, as Microsoft.Data.Sqlite's do: the file is local.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim used only through WaitAsync and Release never creates a wait handle, so Dispose has nothing to free")]
public sealed partial class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly SemaphoreSlim _migrating = new(1, 1);
    private int? _schemaVersion;

    public SqliteDatabase(string path, ILogger<SqliteDatabase> logger)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _logger = logger;
    }

    public string Path { get; }

    public string Provider => "sqlite";

    public string Location => Path;

    public bool Shared => false;

    public SqlDialect Dialect => SqlDialect.Sqlite;

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
                await using SqliteConnection connection = OpenRaw();
                // WAL (persistent in the file) lets readers and one writer work at once, also across processes.
                await Sql.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
                await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                (int version, List<string> applied) = await Migrations.ApplyAsync(connection, transaction, "Sqlite", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                foreach (string name in applied)
                {
                    LogMigrationApplied(_logger, name, Path);
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
        return OpenRaw();
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        T result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public Task<T> WriteOneCommandAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        // Microsoft.Data.Sqlite runs a command's statements one by one, so they need the write transaction to be one.
        WriteAsync<T>((connection, transaction) => work(connection, transaction), cancellationToken);

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand pragmas = connection.CreateCommand();
        // Per connection: NORMAL syncs at checkpoints, which WAL keeps consistent after a crash; foreign keys are
        // off by default in SQLite.
        pragmas.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Name} to {Path}")]
    private static partial void LogMigrationApplied(ILogger logger, string name, string path);
}
