using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Tasks;
using Voxgate.Gateway.Usage;

namespace Voxgate.Tests.Support;

/// <summary>Which database a store test runs on: every store test runs on both.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A real database with the gateway's stores on it: a SQLite file in a fresh directory, or a fresh database on the
/// run's PostgreSQL server (<see cref="PostgresServer"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(IDatabase database, string directory, NodeIdentity node, string? connectionString)
    {
        ConnectionString = connectionString;
        Database = database;
        Directory = directory;
        Node = node;
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = directory });
        Accounts = new SqlAccountStore(database);
        Billing = new SqlBillingStore(database, node);
        Usage = new SqlUsageStore(database);
        Files = new SqlFileStore(database);
        Tasks = new SqlTaskStore(database);
        ProviderKeys = new SqlProviderKeyStore(database);
        Auditor = new SqlMoneyAuditor(database);
        Secrets = new SqlSecretStore(database);
    }

    public static async Task<TestDatabase> CreateAsync(StoreProvider provider, string node = "test-node")
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("voxgate-db-").FullName;
        string? connectionString = provider == StoreProvider.Postgres ? await (await PostgresServer.SharedAsync()).CreateDatabaseAsync() : null;
        IDatabase database = connectionString is null
            ? new SqliteDatabase(Path.Combine(directory, "voxgate.db"), NullLogger<SqliteDatabase>.Instance)
            : new PostgresDatabase(connectionString, NullLogger<PostgresDatabase>.Instance);
        await database.MigrateAsync(CancellationToken.None);
        return new TestDatabase(database, directory, new NodeIdentity(node), connectionString);
    }

    /// <summary>The same database as another node sees it (its own store instances, its own node name).</summary>
    public TestDatabase AsNode(string node) => new(Database, Directory, new NodeIdentity(node), ConnectionString);

    /// <summary>The PostgreSQL database's connection string; null on SQLite.</summary>
    public string? ConnectionString { get; }

    public IDatabase Database { get; }

    /// <summary>A fresh directory of the test's own (the SQLite file's, and anything else a test writes).</summary>
    public string Directory { get; }

    public NodeIdentity Node { get; }

    public IOptions<StorageOptions> Options { get; }

    public SqlAccountStore Accounts { get; }

    public SqlBillingStore Billing { get; }

    public SqlUsageStore Usage { get; }

    public SqlFileStore Files { get; }

    public SqlTaskStore Tasks { get; }

    public SqlProviderKeyStore ProviderKeys { get; }

    public SqlMoneyAuditor Auditor { get; }

    public SqlSecretStore Secrets { get; }

    public Task<Account> NewAccountAsync(string name = "acme") => Accounts.CreateAccountAsync(name, null, null, null, DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Database is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>
/// A store test that runs on each provider: the tests are written once here, and a derived class per provider
/// (<c>...OnSqlite</c>, <c>...OnPostgres</c>) runs them.
/// </summary>
public abstract class StoreTests(StoreProvider provider) : IAsyncLifetime
{
    protected StoreProvider Provider { get; } = provider;

    protected TestDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await TestDatabase.CreateAsync(Provider);

    public async Task DisposeAsync() => await Db.DisposeAsync();
}
