using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Voxgate.Gateway;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Storage;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Hosting;

/// <summary>
/// The database's part of a node's start, before it serves: migrations (one node at a time), the master key, and
/// what this node left when it last died (its requests' holds, its temporary files). On SQLite a failure stops the
/// start, with what is wrong. On a shared database a node starts even while the database is away: it answers 503 and
/// says why in <c>/readyz</c> (<see cref="DatabaseHealth"/>), and finishes this work when the database returns.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "A plain CancellationTokenSource holds nothing to release, and StopAsync may run after the host disposed its services (see _stopping)")]
public sealed partial class StorageStartup(
    IDatabase database,
    MasterKey masterKey,
    IBillingStore billing,
    FileService files,
    DatabaseHealth health,
    NodeIdentity node,
    IOptions<StreamingOptions> streaming,
    TimeProvider time,
    ILogger<StorageStartup> logger) : IHostedService
{
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromSeconds(2);

    // Never disposed: a plain token source holds nothing to release, and StopAsync may come after the host disposed its
    // services (the test host stops the application while the application's own WaitForShutdownAsync stops and disposes it).
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarting(logger, node.Name, database.Location);
        if (!database.Shared)
        {
            await PrepareAsync(cancellationToken);
            return;
        }
        try
        {
            await PrepareAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseHealth.IsUnreachable(ex))
        {
            health.Failed(ex);
            LogDatabaseAway(logger, ex, database.Location);
            _retrying = RetryAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying;
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        int version = await database.MigrateAsync(cancellationToken);
        await masterKey.LoadAsync(cancellationToken);
        int released = await billing.ReleaseOrphanedHoldsAsync(time.GetUtcNow(), cancellationToken);
        int swept = files.SweepTemporaries(streaming.Value.SpillDirectory);
        health.Succeeded();
        LogReady(logger, database.Location, version, released, swept);
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(s_retryInterval, time, stopping);
                await PrepareAsync(stopping);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseHealth.IsUnreachable(ex))
            {
                health.Failed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} starting on database {Database}")]
    private static partial void LogStarting(ILogger logger, string node, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} at schema version {Version}; released {Holds} holds and {Temporaries} temporary files this node left")]
    private static partial void LogReady(ILogger logger, string database, int version, int holds, int temporaries);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database {Database} cannot be reached; serving 503 until it can")]
    private static partial void LogDatabaseAway(ILogger logger, Exception exception, string database);
}

/// <summary>
/// Whether the database answered the last time it was asked: requests that fail to reach it mark it away (they are
/// answered 503), the next success marks it back; <c>/readyz</c> reports it.
/// </summary>
public sealed class DatabaseHealth
{
    private volatile string? _problem;

    /// <summary>Why the database is away, or null when it answered last.</summary>
    public string? Problem => _problem;

    public void Failed(Exception exception) => _problem = exception.GetBaseException().Message;

    public void Succeeded() => _problem = null;

    /// <summary>
    /// True for a failure to reach the database or to get an answer from it (a connection refused, a server shutting
    /// down, a timeout), as opposed to an error in what was asked.
    /// </summary>
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        Npgsql.PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        Npgsql.NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        DbException db => db.IsTransient,
        System.Net.Sockets.SocketException or TimeoutException => true,
        _ => exception.InnerException is { } inner && IsUnreachable(inner),
    };
}
