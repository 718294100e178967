using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.RateLimits;

/// <summary>
/// Speech requests in flight per account, on this process: a request takes a place for as long as it runs (from
/// admission to its settlement) and is refused when its account has <see cref="Caller.ConcurrentRequests"/> already,
/// so one account cannot occupy every engine slot and queue place however fast it sends.
/// </summary>
public sealed class AccountConcurrency
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _inFlight = [];

    /// <summary>A place for the request (dispose it when the request ends), or null when the account is at its limit.</summary>
    public IDisposable? TryEnter(Caller caller)
    {
        if (caller.AccountId is not long account || caller.ConcurrentRequests == int.MaxValue)
        {
            return NoPlace.Instance;
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

    private sealed class Place(AccountConcurrency owner, long account) : IDisposable
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

    private sealed class NoPlace : IDisposable
    {
        public static readonly NoPlace Instance = new();

        public void Dispose()
        {
        }
    }
}
