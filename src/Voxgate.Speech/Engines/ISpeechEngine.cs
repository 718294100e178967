namespace Voxgate.Speech.Engines;

/// <summary>
/// Something that turns text into mono PCM: an embedded library, a neural model, or (later) an upstream provider.
/// Engines synthesise one segment per call and may yield it in several chunks as it is produced.
/// </summary>
public interface ISpeechEngine
{
    /// <summary>Short lower-case name, the prefix of its voice ids (<c>flite</c>, <c>espeak</c>).</summary>
    string Name { get; }

    /// <summary>Library or model version, for /readyz and logs.</summary>
    string Version { get; }

    IReadOnlyList<VoiceInfo> Voices { get; }

    /// <summary>Speeds the engine renders itself (better than time-stretching); <see cref="SpeedRange.None"/> when none.</summary>
    SpeedRange NativeSpeed { get; }

    IAsyncEnumerable<PcmChunk> SynthesizeAsync(EngineRequest request, CancellationToken cancellationToken);
}

/// <summary>One engine call: a segment of prepared text.</summary>
/// <param name="Speed">Speed factor within the engine's <see cref="ISpeechEngine.NativeSpeed"/>; 1 is normal.</param>
/// <param name="Mix">For an <see cref="IVoiceMixing"/> engine, voices to blend (weights summing to 1) instead of <paramref name="Voice"/> alone.</param>
/// <param name="Reference">For an <see cref="IVoiceCloning"/> engine, the speaker to imitate.</param>
public sealed record EngineRequest(string Text, VoiceInfo Voice, double Speed = 1.0, IReadOnlyList<(VoiceInfo Voice, double Weight)>? Mix = null,
    VoiceReference? Reference = null)
{
    /// <summary>
    /// Yield the audio in chunks as it is computed (the first segment of a stream, whose first audio a listener waits
    /// for) rather than the segment whole; an engine that computes a segment in one step may ignore it.
    /// </summary>
    public bool Incremental { get; init; }
}

/// <summary>An engine that can blend several of its voices into one (MiniMax's <c>timber_weights</c>).</summary>
public interface IVoiceMixing
{
    /// <summary>The most voices one blend may hold.</summary>
    int MaxVoicesInMix { get; }
}

/// <summary>An inclusive range of speed factors.</summary>
public readonly record struct SpeedRange(double Min, double Max)
{
    public static SpeedRange None { get; } = new(1, 1);

    public double Clamp(double speed) => Math.Clamp(speed, Min, Max);
}
