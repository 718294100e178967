using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.Tasks;

/// <summary>The asynchronous task queue (configuration section <c>Voxgate:Tasks</c>).</summary>
public sealed class TaskOptions
{
    public const string Section = "Voxgate:Tasks";

    /// <summary>
    /// Tasks one node runs at once; each spreads its own synthesis over <see cref="Parallelism"/> cores. 0: this node
    /// runs none (an API-only node of a deployment whose other nodes' workers run the tasks).
    /// </summary>
    [NotNegative]
    public int Workers { get; set; } = 1;

    /// <summary>Segments one task synthesises at once; 0 means one per core.</summary>
    [NotNegative]
    public int Parallelism { get; set; }

    /// <summary>
    /// How long a claimed task is a worker's before another may take it over; the worker renews it a third of the way
    /// through. After a crash, the task resumes within this time of a worker being free.
    /// </summary>
    [Positive]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an idle worker looks for tasks (a task created in this process wakes it at once).</summary>
    [Positive]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Runs a task may take before it fails for good (each crash or engine failure is one).</summary>
    [Positive]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a task's hold on the wallet lasts if it is never settled.</summary>
    [Positive]
    public TimeSpan HoldLifetime { get; set; } = TimeSpan.FromDays(2);

    public int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;
}
