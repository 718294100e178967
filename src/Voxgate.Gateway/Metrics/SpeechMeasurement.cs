using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Metrics;

/// <summary>
/// What one speech request measured, taken in one place (<see cref="SpeechGateway"/>, when the request is settled) and
/// used twice: written on its usage row (the console's live figures) and fed to the gateway's meter (<c>/metrics</c>),
/// so both tell the same story.
/// </summary>
/// <param name="Model">The catalog model's id (a plan's model is always the catalog's).</param>
/// <param name="Route">Where it was synthesised: the engine, or the upstream provider.</param>
/// <param name="Status">How it ended: a <see cref="Usage.UsageStatus"/> of an admitted request.</param>
/// <param name="Total">From admission to the end.</param>
/// <param name="FirstByte">From admission to the first audio byte that left for the client; null when none left (or a task).</param>
/// <param name="Audio">How much audio it produced; null when not known (a provider's compressed audio, a request that produced none).</param>
/// <param name="EngineTime">How long it held engine turns: the engine's computing time (a provider's, for an upstream route).</param>
public sealed record SpeechMeasurement(
    string Model,
    SynthesisRoute Route,
    string Status,
    int Characters,
    TimeSpan Total,
    TimeSpan? FirstByte,
    TimeSpan? Audio,
    TimeSpan EngineTime)
{
    /// <summary>The engine's name, or <c>upstream:&lt;provider&gt;</c> (the saturation capacity's name).</summary>
    public string Engine => Route.Capacity;

    public static int? Milliseconds(TimeSpan? span) => span is { } value ? (int)Math.Min(int.MaxValue, Math.Round(value.TotalMilliseconds)) : null;
}
