using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Voices;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Tasks;

/// <summary>What a task's creator gets back: MiniMax returns the result's file id with the task.</summary>
public sealed record CreatedTask(SpeechTask Task, SpeechPlan Plan);

/// <summary>Creating tasks (validated, admitted and paid for up front) and reading them back, scoped to their account.</summary>
public sealed class TaskService(
    ITaskStore tasks,
    SpeechPlanner planner,
    SpeechGateway gateway,
    TaskSignal signal,
    FileService files,
    VoiceService voices,
    IOptions<TaskOptions> options,
    TimeProvider time)
{
    internal static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.General);

    /// <summary>
    /// Plans the request now, so every invalid parameter is refused at creation rather than discovered by a worker;
    /// holds the whole cost; queues the task and wakes a worker.
    /// </summary>
    /// <exception cref="SpeechRequestException">The request is invalid.</exception>
    /// <exception cref="GatewayException">Over the request limit, or the wallet cannot cover the task.</exception>
    public async Task<CreatedTask> CreateAsync(Caller caller, SpeechRequest request, CancellationToken cancellationToken = default)
    {
        if (caller.AccountId is not long account)
        {
            throw new GatewayInputException("authorization", "Asynchronous tasks belong to an account; use an account's API key.");
        }
        // The request is stored as sent (a custom voice by its id) and resolved again when it runs.
        SpeechPlan plan = planner.Plan(await voices.ResolveAsync(account, request, null, cancellationToken));
        var task = new SpeechTask(RandomIds.Next(), account, caller.KeyId, TaskState.Queued, JsonSerializer.Serialize(request, RequestJson),
            plan.Text.Characters, RandomIds.Next(), 0, plan.Text.Segments.Count, null, 0, time.GetUtcNow(), null);
        await gateway.AdmitTaskAsync(caller, plan, task.BillingId, options.Value.HoldLifetime, cancellationToken);
        try
        {
            await tasks.AddAsync(task, CancellationToken.None);
        }
        catch
        {
            await gateway.AbandonTaskAsync(task.BillingId); // no task will ever settle this hold
            throw;
        }
        signal.Notify();
        return new CreatedTask(task, plan);
    }

    /// <exception cref="NotFoundException">No such task for this account (the same answer whoever else owns the id).</exception>
    public async Task<SpeechTask> GetAsync(long accountId, long taskId, CancellationToken cancellationToken = default) =>
        await tasks.FindAsync(accountId, taskId, cancellationToken) ?? throw new NotFoundException($"There is no task {taskId}.");

    /// <summary>The account's newest tasks, at most <paramref name="limit"/> (1..200).</summary>
    public Task<IReadOnlyList<SpeechTask>> ListAsync(long accountId, int limit = 50, CancellationToken cancellationToken = default) =>
        tasks.ListAsync(accountId, Math.Clamp(limit, 1, 200), cancellationToken);

    /// <summary>A succeeded task whose result file has expired (or was deleted) reads as expired.</summary>
    public async Task<bool> ResultExpiredAsync(SpeechTask task, CancellationToken cancellationToken = default) =>
        task.State == TaskState.Succeeded && !await files.ExistsAsync(task.AccountId, task.ResultFileId, cancellationToken);

    public static SpeechRequest ReadRequest(SpeechTask task) =>
        JsonSerializer.Deserialize<SpeechRequest>(task.RequestJson, RequestJson) ?? throw new InvalidOperationException($"Task {task.Id} has no request.");
}

/// <summary>Wakes an idle worker when a task is created in this process (others find it by polling).</summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim used only through WaitAsync and Release never creates a wait handle, so Dispose has nothing to free")]
public sealed class TaskSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
