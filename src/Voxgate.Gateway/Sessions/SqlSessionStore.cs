using System.Data.Common;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Sessions;

/// <summary>A stored console session: whose it is and when it ends (never the browser's token, only its hash).</summary>
/// <param name="ApiKeyId">The key it was opened with; null for the bootstrap admin key.</param>
/// <param name="AdminKeyHash">The bootstrap admin key's SHA-256 for such a session, else null.</param>
public sealed record SessionRecord(long Id, long? AccountId, long? ApiKeyId, byte[]? AdminKeyHash, DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt);

/// <summary>Console sessions in the database every node shares, so a session opened on one node is good on all.</summary>
public interface ISessionStore
{
    Task AddAsync(byte[] tokenHash, long? accountId, long? apiKeyId, byte[]? adminKeyHash, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default);

    Task<SessionRecord?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Records activity (the sliding expiry).</summary>
    Task TouchAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task DeleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Deletes sessions past their hard cap or idle since <paramref name="idleSince"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, DateTimeOffset idleSince, CancellationToken cancellationToken = default);
}

public sealed class SqlSessionStore(IDatabase database) : ISessionStore
{
    private const string Columns = "id, account_id, api_key_id, admin_key_hash, created_at, last_seen_at, expires_at";

    public Task AddAsync(byte[] tokenHash, long? accountId, long? apiKeyId, byte[]? adminKeyHash, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            """
            INSERT INTO console_sessions (token_hash, account_id, api_key_id, admin_key_hash, created_at, last_seen_at, expires_at)
            VALUES (@token, @account, @key, @admin, @now, @now, @expires)
            """,
            cancellationToken, ("@token", tokenHash), ("@account", accountId), ("@key", apiKeyId), ("@admin", adminKeyHash),
            ("@now", now.ToUnixTimeMilliseconds()), ("@expires", expiresAt.ToUnixTimeMilliseconds())), cancellationToken);

    public async Task<SessionRecord?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {Columns} FROM console_sessions WHERE token_hash = @token", Read, cancellationToken,
            ("@token", tokenHash))).SingleOrDefault();

    public Task TouchAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteOneCommandAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            "UPDATE console_sessions SET last_seen_at = @now WHERE id = @id AND last_seen_at < @now", cancellationToken,
            ("@id", id), ("@now", now.ToUnixTimeMilliseconds())), cancellationToken);

    public Task DeleteAsync(long id, CancellationToken cancellationToken = default) =>
        database.WriteOneCommandAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM console_sessions WHERE id = @id", cancellationToken, ("@id", id)), cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, DateTimeOffset idleSince, CancellationToken cancellationToken = default) =>
        database.WriteOneCommandAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM console_sessions WHERE expires_at <= @now OR last_seen_at <= @idle", cancellationToken,
            ("@now", now.ToUnixTimeMilliseconds()), ("@idle", idleSince.ToUnixTimeMilliseconds())), cancellationToken);

    private static SessionRecord Read(DbDataReader r) => new(
        r.Long(0), r.NullableLong(1), r.NullableLong(2), r.IsDBNull(3) ? null : (byte[])r.GetValue(3), r.Time(4), r.Time(5), r.Time(6));
}
