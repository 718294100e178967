using System.ComponentModel.DataAnnotations;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.RateLimits;

/// <summary>What a node does with speech requests while the Redis that holds the shared limits cannot be reached.</summary>
public enum RedisFailureMode
{
    /// <summary>Serve them under this node's own limits (as a node without Redis does) until Redis returns.</summary>
    Open,

    /// <summary>Refuse them with 503 (MiniMax 1001) until Redis returns.</summary>
    Closed,
}

/// <summary>
/// The Redis every node shares for its limits (configuration section <c>Voxgate:Redis</c>; <c>VOXGATE_REDIS</c>,
/// <c>--redis</c> and <c>VOXGATE_REDIS_WHEN_UNREACHABLE</c> map here).
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Voxgate:Redis";

    /// <summary>
    /// <c>host:port</c> (a StackExchange.Redis configuration string: <c>host:port,password=...,ssl=true</c>), or a Unix
    /// socket (<c>unix:/run/redis/redis.sock</c> or the bare path). Absent: limits per node.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary><see cref="RedisFailureMode.Open"/> (the default) or <see cref="RedisFailureMode.Closed"/>.</summary>
    public RedisFailureMode WhenUnreachable { get; set; } = RedisFailureMode.Open;

    /// <summary>Put before every key, so that several deployments can share one Redis.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "voxgate:";

    /// <summary>
    /// How long a request's place in its account's concurrency count lasts unless its node renews it (every third
    /// of this): the time a killed node's places hold their accounts' limits after it died.
    /// </summary>
    [Positive]
    public TimeSpan ConcurrencyLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node waits for Redis before treating it as unreachable.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    /// <summary>The client configuration for <see cref="Configuration"/>; never waits for Redis, never queues while it is away.</summary>
    public ConfigurationOptions ToClientOptions()
    {
        string configuration = Configuration?.Trim() ?? throw new InvalidOperationException("Redis is not configured.");
        ConfigurationOptions options;
        if (configuration.StartsWith("unix:", StringComparison.Ordinal) || configuration.StartsWith('/'))
        {
            options = new ConfigurationOptions();
            options.EndPoints.Add(new UnixDomainSocketEndPoint(configuration.StartsWith('/') ? configuration : configuration["unix:".Length..]));
        }
        else
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        int timeout = (int)Math.Clamp(Timeout.TotalMilliseconds, 50, int.MaxValue);
        // A node starts and serves while Redis is away, and a command fails at once rather than waiting in a queue:
        // the limits fall open or closed (WhenUnreachable) instead of every request hanging.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = timeout;
        options.AsyncTimeout = timeout;
        options.SyncTimeout = timeout;
        options.ClientName ??= "voxgate";
        return options;
    }
}

/// <summary>
/// The node's one connection to Redis (made at first use, reconnecting by itself), and whether Redis answered last:
/// shared limits run their commands through <see cref="RunAsync{T}"/>, which falls back or refuses as configured when
/// Redis is away, and logs when it goes and comes back (not once per request).
/// </summary>
public sealed partial class RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer = new(() => ConnectionMultiplexer.ConnectAsync(options.Value.ToClientOptions()));
    private string? _problem;

    public RedisOptions Options => options.Value;

    /// <summary>Where Redis is, for logs and <c>/readyz</c> (endpoints only: never a password).</summary>
    public string Location => string.Join(",", Options.ToClientOptions().EndPoints.Select(endpoint => endpoint switch
    {
        UnixDomainSocketEndPoint socket => "unix:" + socket,
        _ => endpoint.ToString(),
    }));

    /// <summary>Why Redis is away, or null when it answered last.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>Connects, when not yet connected; used at start-up so the first request does not wait for it.</summary>
    public async Task ConnectAsync() => await _multiplexer.Value;

    /// <summary>Asks Redis for one answer; null when it gave it, else why not (and Redis is marked away).</summary>
    public async Task<string?> ProbeAsync()
    {
        try
        {
            ConnectionMultiplexer multiplexer = await _multiplexer.Value;
            await multiplexer.GetDatabase().PingAsync();
            Succeeded();
            return null;
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Failed(ex);
            return Problem;
        }
    }

    /// <summary>Key names: the prefix, then <paramref name="name"/>.</summary>
    public RedisKey Key(string name) => Options.KeyPrefix + name;

    /// <summary>
    /// Runs <paramref name="shared"/> on Redis; when Redis cannot be reached, runs <paramref name="local"/> instead
    /// (<see cref="RedisFailureMode.Open"/>) or refuses the request (<see cref="RedisFailureMode.Closed"/>).
    /// </summary>
    /// <exception cref="GatewayException">Redis is away and the deployment fails closed.</exception>
    public async ValueTask<T> RunAsync<T>(Func<IDatabase, Task<T>> shared, Func<T> local)
    {
        try
        {
            ConnectionMultiplexer multiplexer = await _multiplexer.Value;
            T result = await shared(multiplexer.GetDatabase());
            Succeeded();
            return result;
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Failed(ex);
            return Options.WhenUnreachable == RedisFailureMode.Open
                ? local()
                : throw new GatewayException(GatewayRefusal.LimitsUnavailable,
                    "The service's rate limiter cannot be reached; nothing was charged. Retry shortly.", TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>
    /// Sends a command whose answer nobody waits for (a place given back); if Redis is away, its lease ends it. A
    /// <see cref="Task"/>, not a ValueTask: callers may drop it unobserved.
    /// </summary>
    public async Task SendAsync(Func<IDatabase, Task> command)
    {
        try
        {
            ConnectionMultiplexer multiplexer = await _multiplexer.Value;
            await command(multiplexer.GetDatabase());
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Failed(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            try
            {
                await (await _multiplexer.Value).DisposeAsync();
            }
            catch (Exception ex) when (IsUnreachable(ex))
            {
                // Never connected; nothing to close.
            }
        }
    }

    /// <summary>A failure to reach Redis or to hear back from it, as opposed to a mistake in what was sent.</summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or TimeoutException or SocketException or ObjectDisposedException
        || (exception is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal));

    private void Succeeded()
    {
        if (Volatile.Read(ref _problem) is not null && Interlocked.Exchange(ref _problem, null) is not null)
        {
            LogBack(logger, Location);
        }
    }

    private void Failed(Exception exception)
    {
        string problem = exception.GetBaseException().Message;
        if (Interlocked.Exchange(ref _problem, problem) is null)
        {
            // Once per outage, with the reason and without a stack: an outage is not a bug.
            if (Options.WhenUnreachable == RedisFailureMode.Open)
            {
                LogAwayOpen(logger, Location, problem);
            }
            else
            {
                LogAwayClosed(logger, Location, problem);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis {Redis} cannot be reached ({Problem}): limits are this node's own until it returns (Voxgate:Redis:WhenUnreachable = open)")]
    private static partial void LogAwayOpen(ILogger logger, string redis, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis {Redis} cannot be reached ({Problem}): speech requests are refused until it returns (Voxgate:Redis:WhenUnreachable = closed)")]
    private static partial void LogAwayClosed(ILogger logger, string redis, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis {Redis} answers again: limits are shared across nodes")]
    private static partial void LogBack(ILogger logger, string redis);
}
