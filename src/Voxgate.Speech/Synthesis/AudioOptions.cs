using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Speech.Synthesis;

/// <summary>Audio chain defaults (configuration section <c>Voxgate:Audio</c>).</summary>
public sealed class AudioOptions
{
    public const string Section = "Voxgate:Audio";

    /// <summary>Output rate when a request names none: 24 kHz, what OpenAI returns for every format.</summary>
    [Range(8_000, 48_000)]
    public int DefaultSampleRate { get; set; } = 24000;

    public bool TrimSilence { get; set; } = true;

    /// <summary>Amplitude at or below which engine output counts as silence (0.003 ≈ -50 dBFS).</summary>
    [Range(0.0, 1.0)]
    public float SilenceThreshold { get; set; } = 0.003f;

    [NotNegative]
    public int LeadingPadMs { get; set; } = 40;

    [NotNegative]
    public int TrailingPadMs { get; set; } = 100;

    /// <summary>
    /// Audio one request may produce per billed character, in seconds (with <see cref="MinAudioBudgetSeconds"/> as a
    /// floor): speech runs at about 0.07 s per character, 0.3 s at a quarter of the speed, so only long pauses come
    /// near it. A request whose pauses and speech would exceed it is refused before synthesis, and an engine that
    /// produces more is stopped: a few cheap characters cannot buy hours of audio.
    /// </summary>
    [Positive]
    public double MaxAudioSecondsPerCharacter { get; set; } = 1.0;

    /// <summary>The audio every request may produce whatever its length (a short text with one 99.99 s pause fits).</summary>
    [Positive]
    public double MinAudioBudgetSeconds { get; set; } = 120;

    /// <summary>How long a spoken character is expected to last at speed 1, for estimates before synthesis.</summary>
    [Positive]
    public double SpeechSecondsPerCharacter { get; set; } = 0.08;
}
