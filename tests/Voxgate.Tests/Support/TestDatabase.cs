using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;

namespace Voxgate.Tests.Support;

/// <summary>A real SQLite database file in a fresh directory, with the gateway's stores on it.</summary>
public sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("voxgate-db-").FullName;
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = Directory });
        Database = new SqliteDatabase(Options, NullLogger<SqliteDatabase>.Instance);
        Accounts = new SqliteAccountStore(Database);
        Billing = new SqliteBillingStore(Database);
        Usage = new SqliteUsageStore(Database);
    }

    public string Directory { get; }

    public IOptions<StorageOptions> Options { get; }

    public SqliteDatabase Database { get; }

    public SqliteAccountStore Accounts { get; }

    public SqliteBillingStore Billing { get; }

    public SqliteUsageStore Usage { get; }

    public Account NewAccount(string name = "acme") => Accounts.CreateAccount(name, null, null, null, DateTimeOffset.UtcNow);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
