using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Files;

namespace Voxgate.Gateway.Tasks;

/// <summary>
/// The server's background work: <see cref="TaskOptions.Workers"/> loops that claim and run tasks, and the sweep that
/// deletes expired files. Each process has its own owner name, so leases tell its work from another process's.
/// </summary>
public sealed partial class TaskWorkers(
    TaskRunner runner,
    TaskSignal signal,
    FileService files,
    NodeIdentity node,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<TaskWorkers> logger) : BackgroundService
{
    /// <summary>The lease owner's prefix: the node, and this process of it (a restarted node must not mistake its old leases for its own).</summary>
    private readonly string _process = $"{node.Name}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([.. Enumerable.Range(0, Math.Max(0, options.Value.Workers)).Select(i => WorkAsync($"{_process}#{i}", stoppingToken)), SweepAsync(stoppingToken)]);

    private async Task WorkAsync(string owner, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!await runner.RunNextAsync(owner, stopping))
                {
                    await signal.WaitAsync(options.Value.PollInterval, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store failure (the database busy or unwritable): keep the worker alive and try again after a pause.
                LogWorkerError(logger, ex, owner);
                try
                {
                    await Task.Delay(options.Value.PollInterval, time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task SweepAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            int deleted = 0;
            try
            {
                deleted = await files.SweepExpiredAsync(stopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex); // the database is away: try again next time
            }
            if (deleted > 0)
            {
                LogSwept(logger, deleted);
            }
            try
            {
                await Task.Delay(files.Options.SweepInterval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Task worker {Owner} hit an error; retrying")]
    private static partial void LogWorkerError(ILogger logger, Exception exception, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete expired files; retrying at the next sweep")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired files")]
    private static partial void LogSwept(ILogger logger, int count);
}
