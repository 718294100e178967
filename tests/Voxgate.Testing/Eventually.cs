namespace Voxgate.Tests.Support;

/// <summary>
/// Waits for a condition by polling it, with a deadline generous enough for a loaded machine (no fixed sleeps): a
/// request settles just after its last byte is sent, a dropped reader a moment after it stalls.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> (and the context) when the deadline passes.</summary>
    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? deadline = null, Func<string>? context = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, deadline, context);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null, Func<string>? context = null)
    {
        TimeSpan limit = deadline ?? DefaultDeadline;
        DateTime until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"still not true after {limit.TotalSeconds:0} s: {what}\n{context?.Invoke()}");
            await Task.Delay(50);
        }
    }
}
