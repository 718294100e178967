namespace Voxgate.Tests.Support;

/// <summary>Waits for a condition by polling it, with a deadline generous enough for a loaded machine (no fixed sleeps).</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> when the deadline passes.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        DateTime until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"still not true after {(deadline ?? DefaultDeadline).TotalSeconds:0} s: {what}");
            await Task.Delay(50);
        }
    }
}
