using System.Data.Common;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Tasks;

public sealed class SqlTaskStore(IDatabase database) : ITaskStore
{
    private const string Columns =
        "id, account_id, api_key_id, status, request, characters, result_file_id, segments_done, segments_total, error, attempts, created_at, finished_at";

    public Task AddAsync(SpeechTask task, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            """
            INSERT INTO tasks (id, account_id, api_key_id, status, request, characters, result_file_id, segments_total, created_at, updated_at)
            VALUES (@id, @account, @key, 'queued', @request, @characters, @file, @total, @now, @now)
            """,
            cancellationToken, ("@id", task.Id), ("@account", task.AccountId), ("@key", task.KeyId), ("@request", task.RequestJson), ("@characters", task.Characters),
            ("@file", task.ResultFileId), ("@total", task.SegmentsTotal), ("@now", task.CreatedAt.ToUnixTimeMilliseconds())), cancellationToken);

    public async Task<SpeechTask?> FindAsync(long accountId, long taskId, CancellationToken cancellationToken = default) =>
        (await Sql.QueryAsync(database, $"SELECT {Columns} FROM tasks WHERE id = @id AND account_id = @account", Read, cancellationToken,
            ("@id", taskId), ("@account", accountId))).SingleOrDefault();

    public async Task<IReadOnlyList<SpeechTask>> ListAsync(long accountId, int limit, CancellationToken cancellationToken = default) =>
        await Sql.QueryAsync(database, $"SELECT {Columns} FROM tasks WHERE account_id = @account ORDER BY created_at DESC, id DESC LIMIT @limit", Read,
            cancellationToken, ("@account", accountId), ("@limit", limit));

    public Task<SpeechTask?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => (await Sql.QueryAsync(connection, transaction,
            $"""
            UPDATE tasks SET status = 'processing', lease_owner = @owner, lease_expires_at = @until, attempts = attempts + 1, updated_at = @now
            WHERE id = (SELECT id FROM tasks
                        WHERE status = 'queued' OR (status = 'processing' AND lease_expires_at < @now)
                        ORDER BY created_at LIMIT 1{database.Dialect.SkipLockedRows})
            RETURNING {Columns}
            """,
            Read, cancellationToken, ("@owner", owner), ("@until", leaseUntil.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds())))
            .SingleOrDefault(), cancellationToken);

    public Task<bool> RenewAsync(long taskId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int segmentsDone, int segmentsTotal,
        CancellationToken cancellationToken = default) =>
        UpdateAsync("""
            UPDATE tasks SET lease_expires_at = @until, segments_done = @done, segments_total = @total, updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND status = 'processing'
            """,
            cancellationToken, ("@until", leaseUntil.ToUnixTimeMilliseconds()), ("@done", segmentsDone), ("@total", segmentsTotal),
            ("@now", now.ToUnixTimeMilliseconds()), ("@id", taskId), ("@owner", owner));

    public Task<bool> FinishAsync(long taskId, string owner, TaskState state, string? error, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        UpdateAsync("""
            UPDATE tasks SET status = @status, error = @error, lease_owner = NULL, lease_expires_at = NULL, finished_at = @now, updated_at = @now,
                             segments_done = CASE WHEN @complete = 1 THEN segments_total ELSE segments_done END
            WHERE id = @id AND lease_owner = @owner AND status = 'processing'
            """,
            cancellationToken, ("@status", state == TaskState.Succeeded ? "succeeded" : "failed"), ("@complete", state == TaskState.Succeeded ? 1 : 0),
            ("@error", error), ("@now", now.ToUnixTimeMilliseconds()), ("@id", taskId), ("@owner", owner));

    public Task<bool> ReleaseAsync(long taskId, string owner, string error, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        UpdateAsync("""
            UPDATE tasks SET status = 'queued', error = @error, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
            WHERE id = @id AND lease_owner = @owner AND status = 'processing'
            """,
            cancellationToken, ("@error", error), ("@now", now.ToUnixTimeMilliseconds()), ("@id", taskId), ("@owner", owner));

    private Task<bool> UpdateAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction, sql, cancellationToken, parameters) == 1,
            cancellationToken);

    private static SpeechTask Read(DbDataReader r) => new(
        r.Long(0), r.Long(1), r.NullableLong(2),
        r.GetString(3) switch { "queued" => TaskState.Queued, "processing" => TaskState.Processing, "succeeded" => TaskState.Succeeded, _ => TaskState.Failed },
        r.GetString(4), r.Int(5), r.Long(6), r.Int(7), r.Int(8), r.NullableString(9), r.Int(10), r.Time(11), r.NullableTime(12));
}
