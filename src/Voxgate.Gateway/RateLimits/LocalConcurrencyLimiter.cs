using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

/// <summary>
/// Speech requests in flight per account, counted in this process's memory: the limit of a single node, and what a
/// node falls back to when the shared count cannot be reached (<see cref="RedisOptions.WhenUnreachable"/>).
/// </summary>
public sealed class LocalConcurrencyLimiter : IConcurrencyLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _inFlight = [];

    public ValueTask<IDisposable?> TryEnterAsync(Caller caller, string requestId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryEnter(caller));

    /// <summary>A place for the request (dispose it when the request ends), or null when the account is at its limit.</summary>
    public IDisposable? TryEnter(Caller caller)
    {
        if (!IConcurrencyLimiter.IsLimited(caller, out long account))
        {
            return IConcurrencyLimiter.NoPlace;
        }
        lock (_lock)
        {
            int running = _inFlight.GetValueOrDefault(account);
            if (running >= caller.ConcurrentRequests)
            {
                return null;
            }
            _inFlight[account] = running + 1;
        }
        return new Place(this, account);
    }

    /// <summary>Requests of the account in flight now.</summary>
    public int InFlight(long accountId)
    {
        lock (_lock)
        {
            return _inFlight.GetValueOrDefault(accountId);
        }
    }

    private void Leave(long account)
    {
        lock (_lock)
        {
            int running = _inFlight[account] - 1;
            if (running == 0)
            {
                _inFlight.Remove(account); // the map holds only accounts with requests in flight
            }
            else
            {
                _inFlight[account] = running;
            }
        }
    }

    private sealed class Place(LocalConcurrencyLimiter owner, long account) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                owner.Leave(account);
            }
        }
    }
}
