namespace Voxgate.Speech.Synthesis;

/// <summary>
/// How a synthesis takes its engine's time: a turn for each segment the engine computes, returned as soon as the
/// engine is done with it, so the engine is never held while the audio waits for its reader.
/// </summary>
public interface IEngineTurns
{
    /// <summary>Waits for a turn on the engine; dispose it when the engine has produced the segment.</summary>
    ValueTask<IDisposable> TakeAsync(CancellationToken cancellationToken);

    /// <summary>The synthesis has work that needs no engine (a pause): a turn set aside for it in advance is given back.</summary>
    void Forgo();

    /// <summary>
    /// A turn on the capacity of <paramref name="plan"/>, one of the request's fallback routes
    /// (<see cref="SpeechPlan.Fallback"/>), which may be another engine's or provider's than the request's own.
    /// </summary>
    ValueTask<IDisposable> TakeAsync(SpeechPlan plan, CancellationToken cancellationToken) => TakeAsync(cancellationToken);

    /// <summary>
    /// The synthesis falls through from <paramref name="failed"/> to <paramref name="next"/>: the route failed before
    /// any audio (<paramref name="failure"/>), so nothing was sent and the request goes on with the next route.
    /// </summary>
    void FellThrough(SpeechPlan failed, SpeechPlan next, Exception failure)
    {
    }

    /// <summary>The synthesis sends the audio of <paramref name="plan"/>: the route that serves the request.</summary>
    void Serving(SpeechPlan plan)
    {
    }
}

/// <summary>Turns that are always free: the offline CLI and background tasks, which bound their own parallelism.</summary>
public sealed class UnlimitedEngineTurns : IEngineTurns
{
    public static UnlimitedEngineTurns Instance { get; } = new();

    public ValueTask<IDisposable> TakeAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable>(NoTurn.Instance);

    public void Forgo()
    {
    }

    private sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
