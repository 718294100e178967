using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Tasks;

public sealed class SqliteTaskStore(SqliteDatabase database) : ITaskStore
{
    private const string Columns =
        "id, account_id, api_key_id, status, request, characters, result_file_id, segments_done, segments_total, error, attempts, created_at, finished_at";

    public void Add(SpeechTask t) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand insert = Sql.Command(connection, transaction,
                """
                INSERT INTO tasks (id, account_id, api_key_id, status, request, characters, result_file_id, segments_total, created_at, updated_at)
                VALUES ($id, $account, $key, 'queued', $request, $characters, $file, $total, $now, $now)
                """,
                ("$id", t.Id), ("$account", t.AccountId), ("$key", t.KeyId), ("$request", t.RequestJson), ("$characters", t.Characters),
                ("$file", t.ResultFileId), ("$total", t.SegmentsTotal), ("$now", t.CreatedAt.ToUnixTimeMilliseconds()));
            return insert.ExecuteNonQuery();
        });

    public SpeechTask? Find(long accountId, long taskId) =>
        Sql.Query(database, $"SELECT {Columns} FROM tasks WHERE id = $id AND account_id = $account", Read, ("$id", taskId), ("$account", accountId)).SingleOrDefault();

    public SpeechTask? Claim(string owner, DateTimeOffset now, DateTimeOffset leaseUntil) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand claim = Sql.Command(connection, transaction,
                $"""
                UPDATE tasks SET status = 'processing', lease_owner = $owner, lease_expires_at = $until, attempts = attempts + 1, updated_at = $now
                WHERE id = (SELECT id FROM tasks
                            WHERE status = 'queued' OR (status = 'processing' AND lease_expires_at < $now)
                            ORDER BY created_at LIMIT 1)
                RETURNING {Columns}
                """,
                ("$owner", owner), ("$until", leaseUntil.ToUnixTimeMilliseconds()), ("$now", now.ToUnixTimeMilliseconds()));
            using SqliteDataReader reader = claim.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        });

    public bool Renew(long taskId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int segmentsDone, int segmentsTotal) =>
        Update("""
            UPDATE tasks SET lease_expires_at = $until, segments_done = $done, segments_total = $total, updated_at = $now
            WHERE id = $id AND lease_owner = $owner AND status = 'processing'
            """,
            ("$until", leaseUntil.ToUnixTimeMilliseconds()), ("$done", segmentsDone), ("$total", segmentsTotal), ("$now", now.ToUnixTimeMilliseconds()),
            ("$id", taskId), ("$owner", owner));

    public bool Finish(long taskId, string owner, TaskState state, string? error, DateTimeOffset now) =>
        Update("""
            UPDATE tasks SET status = $status, error = $error, lease_owner = NULL, lease_expires_at = NULL, finished_at = $now, updated_at = $now,
                             segments_done = CASE WHEN $status = 'succeeded' THEN segments_total ELSE segments_done END
            WHERE id = $id AND lease_owner = $owner AND status = 'processing'
            """,
            ("$status", state == TaskState.Succeeded ? "succeeded" : "failed"), ("$error", error), ("$now", now.ToUnixTimeMilliseconds()),
            ("$id", taskId), ("$owner", owner));

    public bool Release(long taskId, string owner, string error, DateTimeOffset now) =>
        Update("""
            UPDATE tasks SET status = 'queued', error = $error, lease_owner = NULL, lease_expires_at = NULL, updated_at = $now
            WHERE id = $id AND lease_owner = $owner AND status = 'processing'
            """,
            ("$error", error), ("$now", now.ToUnixTimeMilliseconds()), ("$id", taskId), ("$owner", owner));

    private bool Update(string sql, params (string, object?)[] parameters) =>
        database.Write((connection, transaction) =>
        {
            using SqliteCommand update = Sql.Command(connection, transaction, sql, parameters);
            return update.ExecuteNonQuery() == 1;
        });

    private static SpeechTask Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2),
        r.GetString(3) switch { "queued" => TaskState.Queued, "processing" => TaskState.Processing, "succeeded" => TaskState.Succeeded, _ => TaskState.Failed },
        r.GetString(4), r.GetInt32(5), r.GetInt64(6), r.GetInt32(7), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetInt32(10),
        Sql.Time(r.GetInt64(11)), r.IsDBNull(12) ? null : Sql.Time(r.GetInt64(12)));
}
