namespace Voxgate.Gateway.Tasks;

public enum TaskState
{
    Queued,
    Processing,
    Succeeded,
    Failed,
}

/// <summary>A long synthesis run in the background; its result is a file the task names from the start.</summary>
/// <param name="RequestJson">The canonical speech request, so any worker, in any process, can run it.</param>
public sealed record SpeechTask(
    long Id,
    long AccountId,
    long? KeyId,
    TaskState State,
    string RequestJson,
    int Characters,
    long ResultFileId,
    int SegmentsDone,
    int SegmentsTotal,
    string? Error,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>The id under which the task's hold and charge are recorded (one charge per id).</summary>
    public string BillingId => $"task-{Id}";
}

/// <summary>
/// The durable queue. Workers on any node claim tasks with leases they renew; a task whose worker died is claimed again
/// once its lease runs out. Every method is one transaction; a claim takes a task no other worker holds (SQLite's
/// single writer, or PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>), so no task runs twice at once. Look-ups are scoped to
/// the account.
/// </summary>
public interface ITaskStore
{
    Task AddAsync(SpeechTask task, CancellationToken cancellationToken = default);

    Task<SpeechTask?> FindAsync(long accountId, long taskId, CancellationToken cancellationToken = default);

    /// <summary>The account's newest tasks first (the console's list).</summary>
    Task<IReadOnlyList<SpeechTask>> ListAsync(long accountId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the oldest queued task, or a processing task whose lease has run out, in one statement that passes over
    /// rows another worker is claiming (<c>FOR UPDATE SKIP LOCKED</c>): workers on any number of nodes never take the
    /// same task at once, and never wait for each other.
    /// </summary>
    Task<SpeechTask?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease and records progress; false (and nothing changed) when the lease is no longer this owner's.</summary>
    Task<bool> RenewAsync(long taskId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int segmentsDone, int segmentsTotal,
        CancellationToken cancellationToken = default);

    /// <summary>Ends the task (succeeded or failed) if this owner still holds its lease; false, and nothing changed, otherwise.</summary>
    Task<bool> FinishAsync(long taskId, string owner, TaskState state, string? error, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives the task back to the queue for another attempt, if this owner still holds its lease.</summary>
    Task<bool> ReleaseAsync(long taskId, string owner, string error, DateTimeOffset now, CancellationToken cancellationToken = default);
}
