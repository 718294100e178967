using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.Voices;

/// <summary>Custom voices (configuration section <c>Voxgate:Voices</c>).</summary>
public sealed class VoiceOptions
{
    public const string Section = "Voxgate:Voices";

    /// <summary>A custom voice not used for this long is deleted (MiniMax: 7 days).</summary>
    [Positive]
    public TimeSpan UnusedLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often unused voices are looked for.</summary>
    [Positive]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Live custom voices per account (OpenAI: 20 per organisation).</summary>
    [Positive]
    public int MaxVoicesPerAccount { get; set; } = 20;

    /// <summary>Cloned voices' references kept decoded in memory (each at most 20 s of 24 kHz audio, under 2 MB).</summary>
    [Positive]
    public int MaxCachedReferences { get; set; } = 16;

    /// <summary>The largest recording upload (MiniMax: 20 MB).</summary>
    [Positive]
    public long MaxUploadBytes { get; set; } = 20 * 1000 * 1000;

    /// <summary>The model a voice_design trial is spoken (and billed) with when the request names none.</summary>
    [Required]
    public string PreviewModel { get; set; } = "speech-02-hd";
}
