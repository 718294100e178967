using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Voxgate.Gateway.Storage;

/// <summary>
/// The SQLite database file: opens pooled connections in WAL mode (so the CLI and a running server can share it)
/// and applies the numbered migrations in <c>Storage/Migrations</c> once, at start-up, in order.
/// </summary>
public sealed partial class SqliteDatabase
{
    private static readonly Lock s_initLock = new();
    private static bool s_initialised;

    private readonly string _connectionString;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly Lazy<int> _schemaVersion;

    public SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase> logger)
    {
        lock (s_initLock)
        {
            if (!s_initialised)
            {
                SQLitePCL.Batteries_V2.Init();
                s_initialised = true;
            }
        }
        Directory.CreateDirectory(options.Value.DataDirectory);
        Path = System.IO.Path.GetFullPath(options.Value.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _logger = logger;
        _schemaVersion = new Lazy<int>(Migrate, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Path { get; }

    /// <summary>The schema version after migrations (applying them on first use).</summary>
    public int SchemaVersion => _schemaVersion.Value;

    /// <summary>Opens a connection to the migrated database.</summary>
    public SqliteConnection Open()
    {
        _ = _schemaVersion.Value;
        return OpenRaw();
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction taken at once (BEGIN IMMEDIATE), so it never has to upgrade a read lock.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        T result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

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

    private int Migrate()
    {
        using SqliteConnection connection = OpenRaw();
        // WAL (persistent in the file) lets readers and one writer work at once, also across processes.
        using (SqliteCommand wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL";
            wal.ExecuteNonQuery();
        }
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        var applied = new HashSet<int>();
        using (SqliteCommand query = connection.CreateCommand())
        {
            query.Transaction = transaction;
            query.CommandText = "SELECT version FROM schema_migrations";
            using SqliteDataReader reader = query.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        int version = applied.Count == 0 ? 0 : applied.Max();
        foreach ((int number, string name, string sql) in Migrations())
        {
            if (applied.Contains(number))
            {
                continue;
            }
            Execute(connection, transaction, sql);
            using SqliteCommand record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $now)";
            record.Parameters.AddWithValue("$version", number);
            record.Parameters.AddWithValue("$name", name);
            record.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
            LogMigrationApplied(_logger, number, name, Path);
            version = number;
        }
        transaction.Commit();
        return version;
    }

    /// <summary>The embedded migration scripts, <c>NNN_name.sql</c>, in order.</summary>
    internal static IEnumerable<(int Number, string Name, string Sql)> Migrations()
    {
        Assembly assembly = typeof(SqliteDatabase).Assembly;
        const string Prefix = "Voxgate.Gateway.Storage.Migrations.";
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string file = resource[Prefix.Length..^".sql".Length];
            int number = int.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (number, file, reader.ReadToEnd());
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) to {Path}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name, string path);
}
