using Voxgate.Speech.Encoders;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// The one request every surface maps to (OpenAI's /v1/audio/speech, MiniMax's t2a, the CLI). Values are the
/// caller's, not yet checked: <see cref="SpeechPlanner"/> validates them the same way for everyone.
/// </summary>
public sealed record SpeechRequest
{
    /// <summary>Catalog model id or alias.</summary>
    public required string Model { get; init; }

    public required string Input { get; init; }

    /// <summary>Local voice id (<c>flite:slt</c>) or a name from the catalog's voice aliases (<c>alloy</c>).</summary>
    public required string Voice { get; init; }

    public AudioFormat Format { get; init; } = AudioFormat.Mp3;

    /// <summary>Output rate; null for the configured default (24 kHz, as OpenAI returns).</summary>
    public int? SampleRate { get; init; }

    public int Channels { get; init; } = 1;

    /// <summary>Bits per second for lossy formats; 0 for the format's default.</summary>
    public int Bitrate { get; init; }

    /// <summary>Speaking rate factor, 0.25..4 (1 is normal).</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Linear gain applied to the voice, (0, 10] (1 leaves it unchanged).</summary>
    public double Volume { get; init; } = 1.0;

    /// <summary>Free-text style guidance; local engines accept and ignore it (docs/api.md).</summary>
    public string? Instructions { get; init; }
}
