using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Storage;

namespace Voxgate.Hosting;

/// <summary>
/// Says at start where the per-key and per-account limits are kept, and loudly when several nodes share the database
/// but not the limits (no Redis): each node then allows a key its whole limit, so N nodes allow N times as much.
/// Connects to Redis early, so the first request does not wait for it.
/// </summary>
public sealed partial class LimitsStartup(IDatabase database, IServiceProvider services, ILogger<LimitsStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<RedisConnection>() is { } redis)
        {
            // The connection reconnects by itself; a Redis that is away now is reported by the first command and /readyz.
            try
            {
                await redis.ConnectAsync().WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (RedisConnection.IsUnreachable(ex))
            {
                await redis.ProbeAsync(); // logs that it is away, and how requests fare meanwhile
            }
            LogShared(logger, redis.Location, redis.Options.WhenUnreachable.ToString().ToLowerInvariant());
        }
        else if (database.Shared)
        {
            LogPerNode(logger, database.Location);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Limits are shared by every node through Redis {Redis}; when it is away, requests fail {WhenUnreachable}")]
    private static partial void LogShared(ILogger logger, string redis, string whenUnreachable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LIMITS ARE PER NODE: the database {Database} is shared but no Redis is configured (--redis, VOXGATE_REDIS), so every node allows each key its whole per-minute and concurrency limits. Configure Redis to hold them across nodes.")]
    private static partial void LogPerNode(ILogger logger, string database);
}
