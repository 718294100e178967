using Voxgate.Gateway.RateLimits;

namespace Voxgate.Gateway;

public enum GatewayRefusal
{
    /// <summary>The wallet cannot cover the request (402; MiniMax 1008).</summary>
    InsufficientCredits,

    /// <summary>Over a per-minute limit (429; MiniMax 1002 for requests, 1039 for characters).</summary>
    RateLimited,

    /// <summary>
    /// The request alone is longer than its key's characters per minute: it can never pass, however long the caller
    /// waits, so it is refused as not to be retried (OpenAI 400 with <c>x-should-retry: false</c>; MiniMax 1039).
    /// </summary>
    RequestExceedsLimit,

    /// <summary>The engine's queue is full (503).</summary>
    Saturated,

    /// <summary>The account has as many requests in flight as it may (429; MiniMax 1041, its connection limit).</summary>
    ConcurrencyLimited,

    /// <summary>The shared limits (Redis) cannot be consulted and the deployment fails closed (503; MiniMax 1001).</summary>
    LimitsUnavailable,
}

/// <summary>A request the gateway refused before any synthesis; each surface reports it in its own format.</summary>
public sealed class GatewayException(GatewayRefusal refusal, string message, TimeSpan? retryAfter = null, RateLimitDecision? limits = null)
    : Exception(message)
{
    public GatewayRefusal Refusal { get; } = refusal;

    /// <summary>When to retry; null when retrying will not help (the request is larger than the limit itself).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The caller's limits, for the x-ratelimit headers.</summary>
    public RateLimitDecision? Limits { get; } = limits;
}
