using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Files;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Tasks;

/// <summary>
/// Runs claimed tasks: synthesis spread over the cores, the audio encoded straight into the result file the task
/// named at creation (memory stays bounded whatever the length), and then, once, the charge.
/// While it runs it renews the lease and records progress; if it loses the lease it stops.
/// </summary>
public sealed partial class TaskRunner(
    ITaskStore tasks,
    SpeechPlanner planner,
    SpeechPipeline pipeline,
    SpeechGateway gateway,
    FileService files,
    Voices.VoiceService voices,
    ITaskResultPackager packager,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<TaskRunner> logger)
{
    /// <summary>Claims one task and runs it; false when there was none.</summary>
    public async Task<bool> RunNextAsync(string owner, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        SpeechTask? task = await tasks.ClaimAsync(owner, now, now + options.Value.Lease, cancellationToken);
        if (task is null)
        {
            return false;
        }
        await RunAsync(task, owner, cancellationToken);
        return true;
    }

    private async Task RunAsync(SpeechTask task, string owner, CancellationToken stopping)
    {
        LogStarted(logger, task.Id, task.Attempts, task.Characters);
        var clock = Stopwatch.StartNew();
        SpeechPlan plan;
        try
        {
            plan = planner.Plan(await voices.ResolveAsync(task.AccountId, TaskService.ReadRequest(task), null, stopping));
        }
        catch (Exception ex) when (ex is SpeechRequestException or System.Text.Json.JsonException)
        {
            // Validated at creation; failing now means the server changed (a voice or model removed): final.
            await FailAsync(task, owner, null, $"The task can no longer be planned: {ex.Message}", clock.Elapsed);
            return;
        }
        if (task.Attempts > options.Value.MaxAttempts)
        {
            // Its earlier runs died with their process (each claim counts): give up rather than crash forever.
            await FailAsync(task, owner, plan, $"The task did not complete in {options.Value.MaxAttempts} attempts.", clock.Elapsed);
            return;
        }

        using var lease = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var progress = new Progress(plan.Text.Segments.Count);
        Task heartbeat = RenewAsync(task, owner, progress, lease);
        try
        {
            long synthesisMs = 0;
            TaskAudio? audio = null;
            await files.SaveAsync(task.AccountId, "t2a_async", packager.FileName(task), files.Options.ResultLifetime,
                (destination, token) => packager.WriteAsync(task, plan, destination, async (stream, writing) =>
                {
                    var segments = new List<SegmentTiming>();
                    SpeechSummary summary = await SpeechStreamWriter.WriteAsync(pipeline.RunAsync(plan, UnlimitedEngineTurns.Instance, options.Value.EffectiveParallelism, writing), stream,
                        new SegmentCollector(segments, progress), writing);
                    synthesisMs = clock.ElapsedMilliseconds;
                    return audio = new TaskAudio(summary, segments);
                }, token),
                lease.Token, task.ResultFileId);
            await gateway.CompleteTaskAsync(task, plan, succeeded: true, clock.Elapsed, audio?.Summary.AudioDuration);
            await tasks.FinishAsync(task.Id, owner, TaskState.Succeeded, null, time.GetUtcNow(), CancellationToken.None);
            LogSucceeded(logger, task.Id, audio!.Summary.AudioDuration.TotalSeconds, clock.ElapsedMilliseconds, synthesisMs);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested || lease.IsCancellationRequested)
        {
            // The server is stopping, or another worker took the task over: its lease decides who finishes it.
            LogInterrupted(logger, task.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The customer reads the task's error: it says what happened, never the server's internals (paths,
            // native messages), which go to the log with the reference it quotes.
            LogRunFailed(logger, ex, task.Id, task.Attempts);
            string what = ex switch
            {
                SpeechSynthesisException => $"Synthesis of {Speech.Encoders.AudioFormats.Name(plan.Output.Format)} audio with voice {plan.Voice.Id} failed on the server",
                IOException or UnauthorizedAccessException => "The result could not be stored on the server",
                _ => "The task failed on the server",
            };
            string error = $"{what} (reference {task.BillingId}, attempt {task.Attempts}); it was not charged.";
            if (task.Attempts < options.Value.MaxAttempts)
            {
                await tasks.ReleaseAsync(task.Id, owner, error, time.GetUtcNow(), CancellationToken.None);
            }
            else
            {
                await FailAsync(task, owner, plan, error, clock.Elapsed);
            }
        }
        finally
        {
            lease.Cancel();
            await heartbeat;
        }
    }

    /// <summary>Marks the task failed and releases its hold: a failed task is never charged.</summary>
    private async Task FailAsync(SpeechTask task, string owner, SpeechPlan? plan, string error, TimeSpan duration)
    {
        await gateway.CompleteTaskAsync(task, plan, succeeded: false, duration);
        await tasks.FinishAsync(task.Id, owner, TaskState.Failed, error, time.GetUtcNow(), CancellationToken.None);
        LogFailed(logger, task.Id, error);
    }

    /// <summary>Renews the lease a third of the way through it, recording progress; cancels the run if the lease is lost.</summary>
    private async Task RenewAsync(SpeechTask task, string owner, Progress progress, CancellationTokenSource lease)
    {
        TimeSpan interval = options.Value.Lease / 3;
        try
        {
            while (!lease.IsCancellationRequested)
            {
                await Task.Delay(interval, time, lease.Token);
                DateTimeOffset now = time.GetUtcNow();
                if (!await tasks.RenewAsync(task.Id, owner, now, now + options.Value.Lease, progress.Done, progress.Total, CancellationToken.None))
                {
                    LogLeaseLost(logger, task.Id);
                    await lease.CancelAsync();
                }
                else
                {
                    // However long the task runs, its money stays set aside until it is settled.
                    await gateway.RenewTaskHoldAsync(task, options.Value.HoldLifetime);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the run ended
        }
    }

    private sealed class Progress(int total)
    {
        private int _done;

        public int Total { get; } = total;

        public int Done => Volatile.Read(ref _done);

        public void Completed(int segmentIndex) => Volatile.Write(ref _done, segmentIndex + 1);
    }

    private sealed class SegmentCollector(List<SegmentTiming> segments, Progress progress) : IProgress<SegmentTiming>
    {
        public void Report(SegmentTiming value)
        {
            segments.Add(value);
            progress.Completed(value.Index);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} started (attempt {Attempt}, {Characters} characters)")]
    private static partial void LogStarted(ILogger logger, long taskId, int attempt, int characters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} succeeded: {AudioSeconds:0.0} s of audio in {ElapsedMs} ms ({SynthesisMs} ms planning and synthesis, the rest storing the result)")]
    private static partial void LogSucceeded(ILogger logger, long taskId, double audioSeconds, long elapsedMs, long synthesisMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} interrupted; its lease decides who finishes it")]
    private static partial void LogInterrupted(ILogger logger, long taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} failed on attempt {Attempt}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, long taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} failed for good: {Error}")]
    private static partial void LogFailed(ILogger logger, long taskId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: lease lost to another worker; stopping")]
    private static partial void LogLeaseLost(ILogger logger, long taskId);
}
