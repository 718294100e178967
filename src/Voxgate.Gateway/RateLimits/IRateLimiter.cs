using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

public enum RateLimitDimension
{
    Requests,
    Characters,
}

/// <summary>Where a caller stands against one limit after a request.</summary>
public readonly record struct RateLimitState(int Limit, int Remaining, TimeSpan ResetAfter);

/// <summary>The verdict on one request against both of its caller's limits.</summary>
/// <param name="Exceeded">The limit that refused the request, when one did.</param>
/// <param name="RetryAfter">When the request would fit; <see cref="TimeSpan.MaxValue"/> if it never can (larger than the limit itself).</param>
public sealed record RateLimitDecision(RateLimitDimension? Exceeded, TimeSpan RetryAfter, RateLimitState Requests, RateLimitState Characters)
{
    /// <summary>The decision for a caller without limits (no key: anonymous or the bootstrap admin).</summary>
    public static RateLimitDecision Unlimited { get; } = new(null, TimeSpan.Zero,
        new RateLimitState(int.MaxValue, int.MaxValue, TimeSpan.Zero), new RateLimitState(int.MaxValue, int.MaxValue, TimeSpan.Zero));

    public bool Allowed => Exceeded is null;
}

/// <summary>
/// Requests and characters per minute, per API key. Both limits are checked before either is spent, so a refused
/// request costs nothing. <see cref="LocalRateLimiter"/> counts on this node; <see cref="RedisRateLimiter"/> across
/// every node that shares the Redis.
/// </summary>
public interface IRateLimiter
{
    /// <summary>Spends one request and <paramref name="characters"/> of the caller's allowance, or refuses and spends nothing.</summary>
    /// <exception cref="GatewayException">The limits cannot be consulted and the deployment fails closed.</exception>
    ValueTask<RateLimitDecision> AcquireAsync(Caller caller, int characters, CancellationToken cancellationToken);

    /// <summary>
    /// Spends <paramref name="characters"/> of the caller's characters per minute and no request, or refuses and spends
    /// nothing: for text that arrives after its request was admitted and counted (a WebSocket task's pieces). Judged
    /// as <see cref="AcquireAsync"/> judges characters, larger than the limit itself included.
    /// </summary>
    /// <exception cref="GatewayException">The limits cannot be consulted and the deployment fails closed.</exception>
    ValueTask<RateLimitDecision> TakeCharactersAsync(Caller caller, int characters, CancellationToken cancellationToken);
}
