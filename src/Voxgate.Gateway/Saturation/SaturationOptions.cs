using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.Saturation;

/// <summary>
/// How much work each engine (or upstream provider) takes at once (configuration section <c>Voxgate:Saturation</c>).
/// Requests beyond <see cref="CapacityOptions.MaxConcurrent"/> wait in a queue of at most
/// <see cref="CapacityOptions.MaxQueued"/>; beyond that they are refused at once with 503.
/// </summary>
public sealed class SaturationOptions
{
    public const string Section = "Voxgate:Saturation";

    /// <summary>For engines not named in <see cref="Engines"/>.</summary>
    public CapacityOptions Default { get; set; } = new();

    /// <summary>Per engine name (<c>flite</c>, <c>espeak</c>) or upstream (<c>upstream:minimax</c>).</summary>
    public Dictionary<string, CapacityOptions> Engines { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Retry-After sent with a 503.</summary>
    [Positive]
    public int RetryAfterSeconds { get; set; } = 1;
}

public sealed class CapacityOptions
{
    /// <summary>Syntheses running at once; 0 means one per processor core.</summary>
    [NotNegative]
    public int MaxConcurrent { get; set; }

    [NotNegative]
    public int MaxQueued { get; set; } = 32;
}
