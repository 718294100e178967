namespace Voxgate.Speech.Synthesis;

/// <summary>Audio chain defaults (configuration section <c>Voxgate:Audio</c>).</summary>
public sealed class AudioOptions
{
    public const string Section = "Voxgate:Audio";

    /// <summary>Output rate when a request names none: 24 kHz, what OpenAI returns for every format.</summary>
    public int DefaultSampleRate { get; set; } = 24000;

    public bool TrimSilence { get; set; } = true;

    /// <summary>Amplitude at or below which engine output counts as silence (0.003 ≈ -50 dBFS).</summary>
    public float SilenceThreshold { get; set; } = 0.003f;

    public int LeadingPadMs { get; set; } = 40;

    public int TrailingPadMs { get; set; } = 100;
}
