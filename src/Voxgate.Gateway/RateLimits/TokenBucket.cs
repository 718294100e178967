namespace Voxgate.Gateway.RateLimits;

/// <summary>
/// A per-minute limit as a bucket that holds up to <see cref="Capacity"/> tokens and refills continuously at
/// capacity per minute, so a client that used its minute's allowance gets a little back every moment rather than all
/// of it at the turn of the minute. Not thread-safe: the caller locks.
/// </summary>
internal sealed class TokenBucket(int capacity, DateTimeOffset now)
{
    private double _tokens = capacity;
    private DateTimeOffset _updated = now;

    public int Capacity { get; private set; } = capacity;

    public int Remaining => (int)Math.Floor(_tokens);

    public void Refill(DateTimeOffset now, int capacity)
    {
        if (capacity != Capacity)
        {
            // The limit changed (a key was updated): what was already used this minute still counts.
            _tokens = Math.Max(0, capacity - (Capacity - _tokens));
            Capacity = capacity;
        }
        double elapsedMinutes = Math.Max(0, (now - _updated).TotalMinutes);
        _tokens = Math.Min(Capacity, _tokens + elapsedMinutes * Capacity);
        _updated = now;
    }

    /// <summary>How long until <paramref name="amount"/> tokens are there (zero when they already are).</summary>
    public TimeSpan WaitFor(int amount) =>
        _tokens >= amount ? TimeSpan.Zero : TimeSpan.FromMinutes((amount - _tokens) / Capacity);

    /// <summary>How long until the bucket is full again.</summary>
    public TimeSpan UntilFull => TimeSpan.FromMinutes((Capacity - _tokens) / Capacity);

    public void Take(int amount) => _tokens -= amount;
}
