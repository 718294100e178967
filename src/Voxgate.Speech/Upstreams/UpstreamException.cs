namespace Voxgate.Speech.Upstreams;

public enum UpstreamFailure
{
    /// <summary>The provider rate-limited the request (429, or MiniMax 1002/1039).</summary>
    RateLimited,

    /// <summary>The provider is saturated or unreachable, or timed out: retryable.</summary>
    Unavailable,

    /// <summary>The provider failed (a 5xx, a broken stream): retryable.</summary>
    Failed,

    /// <summary>The provider refused the request as invalid (a 4xx, or MiniMax 2013): the caller must change it.</summary>
    Rejected,

    /// <summary>The provider refused the key (401/403, or MiniMax 1004/2049).</summary>
    Unauthorized,
}

/// <summary>A provider's failure, with what the caller needs to report it and when to retry.</summary>
public sealed class UpstreamException(UpstreamFailure failure, string provider, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public UpstreamFailure Failure { get; } = failure;

    public string Provider { get; } = provider;

    /// <summary>The provider's own Retry-After, passed on to the caller.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
