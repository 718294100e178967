using System.Data.Common;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Accounts;

public sealed class SqlAccountStore(IDatabase database) : IAccountStore
{
    private const string AccountColumns = "id, name, requests_per_minute, characters_per_minute, balance_micros, created_at, concurrent_requests";
    private const string KeyColumns = "id, account_id, name, prefix, hash, scopes, requests_per_minute, characters_per_minute, created_at, revoked_at";
    private static readonly int s_keyColumnCount = KeyColumns.Split(',').Length;

    public async Task<Account> CreateAccountAsync(string name, int? requestsPerMinute, int? charactersPerMinute, int? concurrentRequests, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        // The unique name decides a race between nodes: the loser inserts nothing and is told the name is taken.
        List<Account> created = await database.WriteAsync((connection, transaction) => Sql.QueryAsync(connection, transaction,
            $"""
            INSERT INTO accounts (name, requests_per_minute, characters_per_minute, concurrent_requests, created_at)
            VALUES (@name, @rpm, @cpm, @concurrent, @now) ON CONFLICT (name) DO NOTHING RETURNING {AccountColumns}
            """,
            ReadAccount, cancellationToken, ("@name", name), ("@rpm", requestsPerMinute), ("@cpm", charactersPerMinute), ("@concurrent", concurrentRequests),
            ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);
        return created.SingleOrDefault() ?? throw new ConflictException($"An account named '{name}' already exists.");
    }

    public async Task<Account?> FindAccountAsync(long id, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {AccountColumns} FROM accounts WHERE id = @id", ReadAccount, cancellationToken, ("@id", id))).SingleOrDefault();

    public async Task<Account?> FindAccountAsync(string name, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {AccountColumns} FROM accounts WHERE name = @name", ReadAccount, cancellationToken, ("@name", name))).SingleOrDefault();

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database, $"SELECT {AccountColumns} FROM accounts ORDER BY name", ReadAccount, cancellationToken);

    public async Task<ApiKeyRecord> AddKeyAsync(long accountId, string? name, string prefix, byte[] hash, KeyScopes scopes,
        int? requestsPerMinute, int? charactersPerMinute, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await database.WriteAsync((connection, transaction) => Sql.QueryAsync(connection, transaction,
            $"""
            INSERT INTO api_keys (account_id, name, prefix, hash, scopes, requests_per_minute, characters_per_minute, created_at)
            VALUES (@account, @name, @prefix, @hash, @scopes, @rpm, @cpm, @now)
            RETURNING {KeyColumns}
            """,
            ReadKey, cancellationToken, ("@account", accountId), ("@name", name), ("@prefix", prefix), ("@hash", hash),
            ("@scopes", KeyScopeNames.Format(scopes)), ("@rpm", requestsPerMinute), ("@cpm", charactersPerMinute), ("@now", now.ToUnixTimeMilliseconds())),
            cancellationToken)).Single();

    public async Task<IReadOnlyList<(ApiKeyRecord Key, Account Account)>> FindKeysByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        await FindKeysAsync("k.prefix = @prefix", ("@prefix", prefix), cancellationToken);

    public async Task<(ApiKeyRecord Key, Account Account)?> FindKeyAsync(long keyId, CancellationToken cancellationToken = default) =>
        (await FindKeysAsync("k.id = @id", ("@id", keyId), cancellationToken)) is [var found] ? found : null;

    private Task<List<(ApiKeyRecord Key, Account Account)>> FindKeysAsync(string condition, (string, object?) parameter, CancellationToken cancellationToken) =>
        Sql.QueryAsync(database,
            $"SELECT {Qualified("k", KeyColumns)}, {Qualified("a", AccountColumns)} FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE {condition}",
            r => (ReadKey(r), ReadAccount(r, s_keyColumnCount)), cancellationToken, parameter);

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(long accountId, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database, $"SELECT {KeyColumns} FROM api_keys WHERE account_id = @account ORDER BY id", ReadKey, cancellationToken,
            ("@account", accountId));

    public Task<bool> RevokeKeyAsync(long? accountId, string prefix, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await (accountId is long account
            ? Sql.ExecuteAsync(connection, transaction,
                "UPDATE api_keys SET revoked_at = @now WHERE prefix = @prefix AND revoked_at IS NULL AND account_id = @account",
                cancellationToken, ("@now", now.ToUnixTimeMilliseconds()), ("@prefix", prefix), ("@account", account))
            : Sql.ExecuteAsync(connection, transaction, "UPDATE api_keys SET revoked_at = @now WHERE prefix = @prefix AND revoked_at IS NULL",
                cancellationToken, ("@now", now.ToUnixTimeMilliseconds()), ("@prefix", prefix))) > 0, cancellationToken);

    private static string Qualified(string table, string columns) => string.Join(", ", columns.Split(", ").Select(column => $"{table}.{column}"));

    private static Account ReadAccount(DbDataReader r) => ReadAccount(r, 0);

    /// <param name="first">The ordinal of the account's first column (after a key's, in a join).</param>
    private static Account ReadAccount(DbDataReader r, int first) => new(
        r.Long(first), r.GetString(first + 1), r.NullableInt(first + 2), r.NullableInt(first + 3), r.Long(first + 4), r.Time(first + 5), r.NullableInt(first + 6));

    private static ApiKeyRecord ReadKey(DbDataReader r) => new(
        r.Long(0), r.Long(1), r.NullableString(2), r.GetString(3), (byte[])r.GetValue(4),
        KeyScopeNames.Parse(r.GetString(5).Split(' ', StringSplitOptions.RemoveEmptyEntries)), r.NullableInt(6), r.NullableInt(7), r.Time(8),
        r.NullableTime(9));
}
