using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Storage;

/// <summary>
/// What <c>voxgate storage copy</c> refuses (exit 2, one line, nothing copied, no password printed), and that its
/// verification is real: a target that changes what it is given fails the copy (exit 1) and keeps nothing.
/// </summary>
public class StorageCopyRefusalTests
{
    private const string Password = "hunter2-secret";

    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ACopyIntoADatabaseThatHoldsAccountsIsRefusedAndLeavesItAsItWas()
    {
        string target = await NewPostgresAsync();
        await using TestDatabase first = await PopulatedSqliteAsync("first");
        Assert.Equal(0, (await CopyAsync(first, "postgres:" + target)).ExitCode);
        await using TestDatabase second = await PopulatedSqliteAsync("second");

        (int exit, string stdout, string stderr) = await CopyAsync(second, "postgres:" + target);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("already holds accounts", stderr);
        Assert.Equal(["first"], await AccountNamesAsync(target));
    }

    [Theory]
    [InlineData("--to", "mysql://root@db/voxgate", "cannot be used")]
    [InlineData("--to", "sqlite:/tmp/elsewhere.db", "fills a PostgreSQL database")]
    [InlineData("--from", "postgres://voxgate@localhost/voxgate", "reads a SQLite database")]
    [InlineData("--to", "postgres://voxgate:" + Password + "@127.0.0.1:1/voxgate", "cannot be opened")]
    [InlineData("--to", "postgres:Host=127.0.0.1;Port=1;Username=voxgate;Password=" + Password, "cannot be opened")]
    [InlineData("--from", "sqlite:{directory}/missing.db", "no such file")]
    public async Task BadAddressesAndUnreachableDatabasesAreRefusedInOneLineWithoutPasswords(string option, string value, string reason)
    {
        await using TestDatabase source = await PopulatedSqliteAsync();
        string[] arguments = option == "--from"
            ? ["--from", value.Replace("{directory}", source.Directory, StringComparison.Ordinal), "--to", $"postgres://voxgate:{Password}@127.0.0.1:1/voxgate"]
            : ["--from", "sqlite:" + SourcePath(source), "--to", value];

        (int exit, string stdout, string stderr) = await CliRunner.RunAsync(source.Directory, null, null, ["storage", "copy", .. arguments]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(reason, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain(Password, stderr);
    }

    [Fact]
    public async Task ASourceAtAnOlderSchemaIsRefusedAndNotMigrated()
    {
        string directory = Directory.CreateTempSubdirectory("voxgate-old-").FullName;
        try
        {
            string path = Path.Combine(directory, "voxgate.db");
            await CreateAtSchemaAsync(path, version: 3);
            byte[] before = await File.ReadAllBytesAsync(path);

            (int exit, _, string stderr) = await CliRunner.RunAsync(directory, null, null, "storage", "copy", "--from", "sqlite:" + path,
                "--to", "postgres:" + await NewPostgresAsync());

            Assert.Equal(2, exit);
            Assert.Contains("schema version 3", stderr);
            Assert.Contains("migrate it first", stderr);
            Assert.Equal(before, await File.ReadAllBytesAsync(path)); // read only: still at version 3
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AMasterKeyAlreadyInTheTargetIsKeptWhenItIsTheSameAndRefusedWhenItDiffers(bool same)
    {
        await using TestDatabase source = await PopulatedSqliteAsync();
        byte[] sourceKey = MasterKey.LoadFile(Path.Combine(source.Directory, "master.key"));
        string target = await NewPostgresAsync();
        await using (var node = new PostgresDatabase(target, NullLogger<PostgresDatabase>.Instance))
        {
            // As a node started on the new database before the copy would have done.
            await new SqlSecretStore(node).GetOrCreateAsync(MasterKey.SecretName, () => same ? sourceKey : RandomNumberGenerator.GetBytes(32));
        }

        (int exit, string stdout, string stderr) = await CopyAsync(source, "postgres:" + target);

        if (same)
        {
            Assert.True(exit == 0, stderr);
            Assert.Contains("already holds the key", stdout);
            Assert.Equal(["acme"], await AccountNamesAsync(target));
        }
        else
        {
            Assert.Equal(2, exit);
            Assert.Contains("different master key", stderr);
            Assert.Empty(await AccountNamesAsync(target));
        }
    }

    /// <summary>
    /// A target whose trigger skims the ledger or drops usage rows on their way in: the copy itself succeeds, so only
    /// the comparison afterwards can notice, and it must roll everything back.
    /// </summary>
    [Theory]
    [InlineData("ledger", "NEW.amount_micros := NEW.amount_micros - 1; RETURN NEW;", "ledger: 3 lines summing to")]
    [InlineData("ledger", "NEW.amount_micros := NEW.amount_micros - 1; RETURN NEW;", "account 1: balance")]
    [InlineData("usage", "RETURN NULL;", "usage: 1 rows in the source, 0 in the target")]
    public async Task AVerificationThatFindsADifferenceRollsTheCopyBack(string table, string trigger, string difference)
    {
        await using TestDatabase source = await PopulatedSqliteAsync();
        string target = await NewPostgresAsync();
        await using (var node = new PostgresDatabase(target, NullLogger<PostgresDatabase>.Instance))
        {
            await node.MigrateAsync(CancellationToken.None);
        }
        await ExecuteAsync(target,
            $"CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {trigger} END; $$",
            $"CREATE TRIGGER tamper BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION tamper()");

        (int exit, string stdout, string stderr) = await CopyAsync(source, "postgres:" + target);

        Assert.Equal(1, exit);
        Assert.Contains("rolled back", stderr);
        Assert.Contains(difference, stderr);
        Assert.DoesNotContain("Copied", stdout);
        Assert.Empty(await AccountNamesAsync(target));
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> CopyAsync(TestDatabase source, string target) =>
        CliRunner.RunAsync(source.Directory, null, null, "storage", "copy", "--from", "sqlite:" + SourcePath(source), "--to", target);

    private static string SourcePath(TestDatabase source) => Path.Combine(source.Directory, "voxgate.db");

    /// <summary>A SQLite database with an account, a top-up (and its fee) and one settled request.</summary>
    private static async Task<TestDatabase> PopulatedSqliteAsync(string account = "acme")
    {
        TestDatabase source = await TestDatabase.CreateAsync(StoreProvider.Sqlite);
        Account created = await source.Accounts.CreateAccountAsync(account, null, null, null, s_now);
        await source.Billing.TopUpAsync(created.Id, 10 * Money.MicrosPerDollar, 500_000, null, s_now);
        Assert.True(await source.Billing.TryHoldAsync(created.Id, "r1", 5_000, s_now, s_now.AddMinutes(15)));
        await source.Billing.SettleAsync("r1", created.Id, 1_234, new UsageRecord("r1", created.Id, null, "tts-1", 100, 1_234, false, UsageStatus.Succeeded, 12, s_now));
        return source;
    }

    /// <summary>A SQLite database as an older voxgate left it: the first <paramref name="version"/> migrations only.</summary>
    private static async Task CreateAtSchemaAsync(string path, int version)
    {
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await Sql.ExecuteAsync(connection, null, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                CancellationToken.None);
            foreach ((int number, string name, string sql) in Migrations.Of("Sqlite").Where(m => m.Number <= version))
            {
                await Sql.ExecuteAsync(connection, null, sql, CancellationToken.None);
                await Sql.ExecuteAsync(connection, null, "INSERT INTO schema_migrations VALUES (@number, @name, 0)", CancellationToken.None,
                    ("@number", number), ("@name", name));
            }
        }
    }

    private static async Task<string> NewPostgresAsync() => await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("copy");

    private static async Task<List<string>> AccountNamesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await Sql.QueryAsync(connection, null, "SELECT name FROM accounts ORDER BY id", r => r.GetString(0), CancellationToken.None);
    }

    private static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (string statement in statements)
        {
            await Sql.ExecuteAsync(connection, null, statement, CancellationToken.None);
        }
    }
}
