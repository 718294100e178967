using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Accounts;

public sealed class SqliteAccountStore(SqliteDatabase database) : IAccountStore
{
    private const string AccountColumns = "id, name, requests_per_minute, characters_per_minute, balance_micros, created_at, concurrent_requests";
    private const string KeyColumns = "id, account_id, name, prefix, hash, scopes, requests_per_minute, characters_per_minute, created_at, revoked_at";

    public Account CreateAccount(string name, int? requestsPerMinute, int? charactersPerMinute, int? concurrentRequests, DateTimeOffset now)
    {
        try
        {
            return database.Write((connection, transaction) =>
            {
                using SqliteCommand insert = Sql.Command(connection, transaction,
                    $"""
                    INSERT INTO accounts (name, requests_per_minute, characters_per_minute, concurrent_requests, created_at)
                    VALUES ($name, $rpm, $cpm, $concurrent, $now) RETURNING {AccountColumns}
                    """,
                    ("$name", name), ("$rpm", requestsPerMinute), ("$cpm", charactersPerMinute), ("$concurrent", concurrentRequests),
                    ("$now", now.ToUnixTimeMilliseconds()));
                using SqliteDataReader reader = insert.ExecuteReader();
                reader.Read();
                return ReadAccount(reader);
            });
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the unique name
        {
            throw new ConflictException($"An account named '{name}' already exists.");
        }
    }

    public Account? FindAccount(long id) => QueryAccounts($"SELECT {AccountColumns} FROM accounts WHERE id = $id", ("$id", id)).FirstOrDefault();

    public Account? FindAccount(string name) => QueryAccounts($"SELECT {AccountColumns} FROM accounts WHERE name = $name", ("$name", name)).FirstOrDefault();

    public IReadOnlyList<Account> ListAccounts() => QueryAccounts($"SELECT {AccountColumns} FROM accounts ORDER BY name");

    public ApiKeyRecord AddKey(long accountId, string? name, string prefix, byte[] hash, KeyScopes scopes,
        int? requestsPerMinute, int? charactersPerMinute, DateTimeOffset now) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand insert = Sql.Command(connection, transaction,
                $"""
                INSERT INTO api_keys (account_id, name, prefix, hash, scopes, requests_per_minute, characters_per_minute, created_at)
                VALUES ($account, $name, $prefix, $hash, $scopes, $rpm, $cpm, $now)
                RETURNING {KeyColumns}
                """,
                ("$account", accountId), ("$name", name), ("$prefix", prefix), ("$hash", hash), ("$scopes", KeyScopeNames.Format(scopes)),
                ("$rpm", requestsPerMinute), ("$cpm", charactersPerMinute), ("$now", now.ToUnixTimeMilliseconds()));
            using SqliteDataReader reader = insert.ExecuteReader();
            reader.Read();
            return ReadKey(reader);
        });

    public IReadOnlyList<ApiKeyRecord> FindKeysByPrefix(string prefix) =>
        QueryKeys($"SELECT {KeyColumns} FROM api_keys WHERE prefix = $prefix", ("$prefix", prefix));

    public IReadOnlyList<ApiKeyRecord> ListKeys(long accountId) =>
        QueryKeys($"SELECT {KeyColumns} FROM api_keys WHERE account_id = $account ORDER BY id", ("$account", accountId));

    public bool RevokeKey(long? accountId, string prefix, DateTimeOffset now) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand update = Sql.Command(connection, transaction,
                "UPDATE api_keys SET revoked_at = $now WHERE prefix = $prefix AND revoked_at IS NULL AND ($account IS NULL OR account_id = $account)",
                ("$now", now.ToUnixTimeMilliseconds()), ("$account", accountId), ("$prefix", prefix));
            return update.ExecuteNonQuery() > 0;
        });

    private List<Account> QueryAccounts(string sql, params (string, object?)[] parameters) => Sql.Query(database, sql, ReadAccount, parameters);

    private List<ApiKeyRecord> QueryKeys(string sql, params (string, object?)[] parameters) => Sql.Query(database, sql, ReadKey, parameters);

    private static Account ReadAccount(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), Sql.NullableInt(r, 2), Sql.NullableInt(r, 3), r.GetInt64(4), Sql.Time(r.GetInt64(5)), Sql.NullableInt(r, 6));

    private static ApiKeyRecord ReadKey(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), (byte[])r.GetValue(4),
        KeyScopeNames.Parse(r.GetString(5).Split(' ', StringSplitOptions.RemoveEmptyEntries)), Sql.NullableInt(r, 6), Sql.NullableInt(r, 7), Sql.Time(r.GetInt64(8)),
        r.IsDBNull(9) ? null : Sql.Time(r.GetInt64(9)));
}
