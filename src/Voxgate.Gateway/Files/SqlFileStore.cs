using System.Data.Common;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Files;

public sealed class SqlFileStore(IDatabase database) : IFileStore
{
    private const string Columns = "id, account_id, purpose, filename, bytes, sha256, created_at, expires_at";

    public Task AddAsync(StoredFile file, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await InsertAsync(connection, transaction, file, cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<bool> TryAddWithinQuotaAsync(StoredFile file, long maxBytes, int maxFiles, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // The account's row orders concurrent uploads of one account, on any node.
            await Sql.ExecuteAsync(connection, transaction, $"SELECT id FROM accounts WHERE id = @account{database.Dialect.LockRows}", cancellationToken,
                ("@account", file.AccountId));
            (long bytes, int files) = await UsageAsync(connection, transaction, file.AccountId, file.CreatedAt, cancellationToken);
            if (bytes + file.Bytes > maxBytes || files + 1 > maxFiles)
            {
                return false;
            }
            await InsertAsync(connection, transaction, file, cancellationToken);
            return true;
        }, cancellationToken);

    public async Task<(long Bytes, int Files)> UsageAsync(long accountId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await UsageAsync(connection, null, accountId, now, cancellationToken);
    }

    public async Task<StoredFile?> FindAsync(long accountId, long fileId, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {Columns} FROM files WHERE id = @id AND account_id = @account", Read, cancellationToken,
            ("@id", fileId), ("@account", accountId))).SingleOrDefault();

    public async Task<StoredFile?> FindForSignedDownloadAsync(long fileId, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {Columns} FROM files WHERE id = @id", Read, cancellationToken, ("@id", fileId))).SingleOrDefault();

    public async Task<IReadOnlyList<StoredFile>> ListAsync(long accountId, string? purpose, int limit, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database,
            $"SELECT {Columns} FROM files WHERE account_id = @account{(purpose is null ? "" : " AND purpose = @purpose")} ORDER BY created_at DESC LIMIT @limit",
            Read, cancellationToken, ("@account", accountId), ("@purpose", purpose ?? ""), ("@limit", limit));

    public Task<bool> DeleteAsync(long accountId, long fileId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "DELETE FROM files WHERE id = @id AND account_id = @account", cancellationToken, ("@id", fileId), ("@account", accountId)) > 0,
            cancellationToken);

    public Task<IReadOnlyList<StoredFile>> TakeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => (IReadOnlyList<StoredFile>)await Sql.QueryAsync(connection, transaction,
            $"DELETE FROM files WHERE expires_at <= @now RETURNING {Columns}", Read, cancellationToken, ("@now", now.ToUnixTimeMilliseconds())),
            cancellationToken);

    private static async Task<(long Bytes, int Files)> UsageAsync(DbConnection connection, DbTransaction? transaction, long accountId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        (await Sql.QueryAsync(connection, transaction,
            "SELECT COALESCE(SUM(bytes), 0), COUNT(*) FROM files WHERE account_id = @account AND expires_at > @now",
            r => (r.Long(0), r.Int(1)), cancellationToken, ("@account", accountId), ("@now", now.ToUnixTimeMilliseconds()))).Single();

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, StoredFile f, CancellationToken cancellationToken)
    {
        // A task's result keeps the id reserved at creation: a run after a crash rewrites the file its predecessor
        // may already have stored, and must replace that record rather than fail.
        int written = await Sql.ExecuteAsync(connection, transaction,
            $"""
            INSERT INTO files ({Columns}) VALUES (@id, @account, @purpose, @filename, @bytes, @sha, @created, @expires)
            ON CONFLICT (id) DO UPDATE SET purpose = excluded.purpose, filename = excluded.filename, bytes = excluded.bytes,
                sha256 = excluded.sha256, created_at = excluded.created_at, expires_at = excluded.expires_at
            WHERE files.account_id = excluded.account_id
            """,
            cancellationToken, ("@id", f.Id), ("@account", f.AccountId), ("@purpose", f.Purpose), ("@filename", f.Filename), ("@bytes", f.Bytes),
            ("@sha", f.Sha256), ("@created", f.CreatedAt.ToUnixTimeMilliseconds()), ("@expires", f.ExpiresAt.ToUnixTimeMilliseconds()));
        if (written != 1)
        {
            throw new InvalidOperationException($"File id {f.Id} belongs to another account.");
        }
    }

    private static StoredFile Read(DbDataReader r) => new(
        r.Long(0), r.Long(1), r.GetString(2), r.GetString(3), r.Long(4), r.GetString(5), r.Time(6), r.Time(7));
}
