using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

/// <summary>
/// Speech requests in flight per account: a request takes a place for as long as it runs (from admission to its
/// settlement) and is refused when its account has <see cref="Caller.ConcurrentRequests"/> already, so one account
/// cannot occupy every engine slot and queue place however fast it sends. <see cref="LocalConcurrencyLimiter"/>
/// counts on this node; <see cref="RedisConcurrencyLimiter"/> across every node that shares the Redis.
/// </summary>
public interface IConcurrencyLimiter
{
    /// <summary>
    /// A place for the request (dispose it when the request ends; disposing twice is harmless), or null when the
    /// account is at its limit.
    /// </summary>
    /// <exception cref="GatewayException">The count cannot be consulted and the deployment fails closed.</exception>
    ValueTask<IDisposable?> TryEnterAsync(Caller caller, string requestId, CancellationToken cancellationToken);

    /// <summary>The place of a request that is not counted (no account, or no limit).</summary>
    internal static IDisposable NoPlace { get; } = new Uncounted();

    /// <summary>True when the caller's requests are counted, with the account they count against.</summary>
    internal static bool IsLimited(Caller caller, out long account)
    {
        account = caller.AccountId ?? 0;
        return caller.AccountId is not null && caller.ConcurrentRequests != int.MaxValue;
    }

    private sealed class Uncounted : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
