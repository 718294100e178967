using System.Text.Json;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Security;
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
    public CreatedTask Create(Caller caller, SpeechRequest request)
    {
        if (caller.AccountId is not long account)
        {
            throw new GatewayInputException("authorization", "Asynchronous tasks belong to an account; use an account's API key.");
        }
        SpeechPlan plan = planner.Plan(request);
        var task = new SpeechTask(RandomIds.Next(), account, caller.KeyId, TaskState.Queued, JsonSerializer.Serialize(request, RequestJson),
            plan.Text.Characters, RandomIds.Next(), 0, plan.Text.Segments.Count, null, 0, time.GetUtcNow(), null);
        gateway.AdmitTask(caller, plan, task.BillingId, options.Value.HoldLifetime);
        try
        {
            tasks.Add(task);
        }
        catch
        {
            gateway.AbandonTask(task.BillingId); // no task will ever settle this hold
            throw;
        }
        signal.Notify();
        return new CreatedTask(task, plan);
    }

    /// <exception cref="NotFoundException">No such task for this account (the same answer whoever else owns the id).</exception>
    public SpeechTask Get(long accountId, long taskId) =>
        tasks.Find(accountId, taskId) ?? throw new NotFoundException($"There is no task {taskId}.");

    /// <summary>A succeeded task whose result file has expired (or was deleted) reads as expired.</summary>
    public bool ResultExpired(SpeechTask task) => task.State == TaskState.Succeeded && !files.Exists(task.AccountId, task.ResultFileId);

    public static SpeechRequest ReadRequest(SpeechTask task) =>
        JsonSerializer.Deserialize<SpeechRequest>(task.RequestJson, RequestJson) ?? throw new InvalidOperationException($"Task {task.Id} has no request.");
}

/// <summary>Wakes an idle worker when a task is created in this process (others find it by polling).</summary>
public sealed class TaskSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
