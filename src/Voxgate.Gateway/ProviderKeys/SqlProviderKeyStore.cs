using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.ProviderKeys;

public sealed class SqlProviderKeyStore(IDatabase database) : IProviderKeyStore
{
    public Task PutAsync(long accountId, string provider, byte[] sealedKey, string hint, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            """
            INSERT INTO provider_keys (account_id, provider, sealed, hint, created_at) VALUES (@account, @provider, @sealed, @hint, @now)
            ON CONFLICT (account_id, provider) DO UPDATE SET sealed = excluded.sealed, hint = excluded.hint, created_at = excluded.created_at
            """,
            cancellationToken, ("@account", accountId), ("@provider", provider), ("@sealed", sealedKey), ("@hint", hint), ("@now", now.ToUnixTimeMilliseconds())),
            cancellationToken);

    public async Task<byte[]?> FindAsync(long accountId, string provider, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, "SELECT sealed FROM provider_keys WHERE account_id = @account AND provider = @provider",
            r => (byte[])r.GetValue(0), cancellationToken, ("@account", accountId), ("@provider", provider))).SingleOrDefault();

    public Task<bool> DeleteAsync(long accountId, string provider, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM provider_keys WHERE account_id = @account AND provider = @provider", cancellationToken,
            ("@account", accountId), ("@provider", provider)) > 0, cancellationToken);

    public async Task<IReadOnlyList<ProviderKeyInfo>> ListAsync(long accountId, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database, "SELECT provider, hint, created_at FROM provider_keys WHERE account_id = @account ORDER BY provider",
            r => new ProviderKeyInfo(r.GetString(0), r.GetString(1), r.Time(2)), cancellationToken, ("@account", accountId));
}
