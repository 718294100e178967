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
