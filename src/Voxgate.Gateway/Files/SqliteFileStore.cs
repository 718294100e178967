using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Files;

public sealed class SqliteFileStore(SqliteDatabase database) : IFileStore
{
    private const string Columns = "id, account_id, purpose, filename, bytes, sha256, created_at, expires_at";

    public void Add(StoredFile f) =>
        database.Write((connection, transaction) =>
        {
            Insert(connection, transaction, f);
            return 0;
        });

    public bool TryAddWithinQuota(StoredFile f, long maxBytes, int maxFiles) =>
        database.Write((connection, transaction) =>
        {
            (long bytes, int files) = Usage(connection, transaction, f.AccountId, f.CreatedAt);
            if (bytes + f.Bytes > maxBytes || files + 1 > maxFiles)
            {
                return false;
            }
            Insert(connection, transaction, f);
            return true;
        });

    public (long Bytes, int Files) Usage(long accountId, DateTimeOffset now)
    {
        using SqliteConnection connection = database.Open();
        return Usage(connection, null, accountId, now);
    }

    private static (long Bytes, int Files) Usage(SqliteConnection connection, SqliteTransaction? transaction, long accountId, DateTimeOffset now)
    {
        using SqliteCommand usage = Sql.Command(connection, transaction,
            "SELECT COALESCE(SUM(bytes), 0), COUNT(*) FROM files WHERE account_id = $account AND expires_at > $now",
            ("$account", accountId), ("$now", now.ToUnixTimeMilliseconds()));
        using SqliteDataReader reader = usage.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, StoredFile f)
    {
        using SqliteCommand insert = Sql.Command(connection, transaction,
            // A task's result keeps the id reserved at creation: a run after a crash rewrites the file its
            // predecessor may already have stored, and must replace that record rather than fail.
            $"""
            INSERT INTO files ({Columns}) VALUES ($id, $account, $purpose, $filename, $bytes, $sha, $created, $expires)
            ON CONFLICT (id) DO UPDATE SET purpose = excluded.purpose, filename = excluded.filename, bytes = excluded.bytes,
                sha256 = excluded.sha256, created_at = excluded.created_at, expires_at = excluded.expires_at
            WHERE files.account_id = excluded.account_id
            """,
            ("$id", f.Id), ("$account", f.AccountId), ("$purpose", f.Purpose), ("$filename", f.Filename), ("$bytes", f.Bytes),
            ("$sha", f.Sha256), ("$created", f.CreatedAt.ToUnixTimeMilliseconds()), ("$expires", f.ExpiresAt.ToUnixTimeMilliseconds()));
        if (insert.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"File id {f.Id} belongs to another account.");
        }
    }

    public StoredFile? Find(long accountId, long fileId) =>
        Sql.Query(database, $"SELECT {Columns} FROM files WHERE id = $id AND account_id = $account", Read, ("$id", fileId), ("$account", accountId)).SingleOrDefault();

    public StoredFile? FindForSignedDownload(long fileId) =>
        Sql.Query(database, $"SELECT {Columns} FROM files WHERE id = $id", Read, ("$id", fileId)).SingleOrDefault();

    public IReadOnlyList<StoredFile> List(long accountId, string? purpose, int limit) =>
        Sql.Query(database,
            $"SELECT {Columns} FROM files WHERE account_id = $account AND ($purpose IS NULL OR purpose = $purpose) ORDER BY created_at DESC LIMIT $limit",
            Read, ("$account", accountId), ("$purpose", purpose), ("$limit", limit));

    public bool Delete(long accountId, long fileId) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand delete = Sql.Command(connection, transaction, "DELETE FROM files WHERE id = $id AND account_id = $account",
                ("$id", fileId), ("$account", accountId));
            return delete.ExecuteNonQuery() > 0;
        });

    public IReadOnlyList<StoredFile> TakeExpired(DateTimeOffset now) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand delete = Sql.Command(connection, transaction, $"DELETE FROM files WHERE expires_at <= $now RETURNING {Columns}",
                ("$now", now.ToUnixTimeMilliseconds()));
            using SqliteDataReader reader = delete.ExecuteReader();
            var expired = new List<StoredFile>();
            while (reader.Read())
            {
                expired.Add(Read(reader));
            }
            return expired;
        });

    private static StoredFile Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), Sql.Time(r.GetInt64(6)), Sql.Time(r.GetInt64(7)));
}
