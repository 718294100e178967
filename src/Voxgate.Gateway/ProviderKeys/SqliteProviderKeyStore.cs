using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.ProviderKeys;

public sealed class SqliteProviderKeyStore(SqliteDatabase database) : IProviderKeyStore
{
    public void Put(long accountId, string provider, byte[] sealedKey, string hint, DateTimeOffset now) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand upsert = Sql.Command(connection, transaction,
                """
                INSERT INTO provider_keys (account_id, provider, sealed, hint, created_at) VALUES ($account, $provider, $sealed, $hint, $now)
                ON CONFLICT (account_id, provider) DO UPDATE SET sealed = excluded.sealed, hint = excluded.hint, created_at = excluded.created_at
                """,
                ("$account", accountId), ("$provider", provider), ("$sealed", sealedKey), ("$hint", hint), ("$now", now.ToUnixTimeMilliseconds()));
            return upsert.ExecuteNonQuery();
        });

    public byte[]? Find(long accountId, string provider) =>
        Sql.Query(database, "SELECT sealed FROM provider_keys WHERE account_id = $account AND provider = $provider",
            r => (byte[])r.GetValue(0), ("$account", accountId), ("$provider", provider)).SingleOrDefault();

    public bool Delete(long accountId, string provider) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand delete = Sql.Command(connection, transaction,
                "DELETE FROM provider_keys WHERE account_id = $account AND provider = $provider", ("$account", accountId), ("$provider", provider));
            return delete.ExecuteNonQuery() > 0;
        });

    public IReadOnlyList<ProviderKeyInfo> List(long accountId) =>
        Sql.Query(database, "SELECT provider, hint, created_at FROM provider_keys WHERE account_id = $account ORDER BY provider",
            r => new ProviderKeyInfo(r.GetString(0), r.GetString(1), Sql.Time(r.GetInt64(2))), ("$account", accountId));
}
