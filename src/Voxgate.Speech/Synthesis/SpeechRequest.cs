using Voxgate.Speech.Audio;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Text;

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

    /// <summary>Pitch shift in semitones, -12..12, without a change of speed.</summary>
    public double PitchSemitones { get; init; }

    /// <summary>One of <see cref="Emotions.Names"/>; local engines render it as a small prosody change.</summary>
    public string? Emotion { get; init; }

    /// <summary>Write numbers, dates, currency, units and abbreviations out in English words before synthesis.</summary>
    public bool ExpandForSpeech { get; init; }

    /// <summary>
    /// The surface's default when the caller did not ask either way (the OpenAI surface's <c>Voxgate:Text:OpenAiNormalization</c>):
    /// local engines then expand as if asked; a provider is not asked to (it reads as it always does).
    /// </summary>
    public bool ExpandForSpeechByDefault { get; init; }

    public IReadOnlyList<PronunciationRule> Pronunciations { get; init; } = [];

    /// <summary>
    /// The language to speak: a tag (<c>en</c>, <c>cmn</c>, <c>ja</c>) or <c>auto</c> (from the text's script). When
    /// the voice does not speak it, a voice that does is chosen (of the same gender where possible).
    /// </summary>
    public string? Language { get; init; }

    public VoiceModification Modification { get; init; } = VoiceModification.None;

    /// <summary>
    /// The speaker a cloned voice imitates, set by the gateway when <see cref="Voice"/> names a caller's cloned voice
    /// (the voice is then a cloning engine's, see <see cref="IVoiceCloning"/>); never read from a request body.
    /// </summary>
    public VoiceReference? Reference { get; init; }

    /// <summary>Voices to blend with weights (MiniMax's <c>timber_weights</c>), for engines that can mix voices.</summary>
    public IReadOnlyList<VoiceWeight> VoiceMix { get; init; } = [];

    /// <summary>Mark the audio as machine-generated (the audible marker, and a tag where the container has one).</summary>
    public bool Watermark { get; init; }

    /// <summary>
    /// The surface's limit on billed characters (OpenAI's 4096, MiniMax's 9,999, ...), which the text with its
    /// pronunciation dictionary applied must also respect; null for none (the offline CLI).
    /// </summary>
    public int? MaxCharacters { get; init; }

    /// <summary>
    /// The audio goes to the caller as it is made (an HTTP audio stream, server-sent events, a WebSocket), so its
    /// first segment is cut short to start sooner (<see cref="StreamingOptions.FirstSegmentCut"/>). False for
    /// answers delivered whole (a JSON document, a task's file, the CLI), which a cut would not make any sooner.
    /// </summary>
    public bool Streamed { get; init; }

    /// <summary>
    /// The most encoded audio the answer can carry, when the surface must hold it all at once (a JSON document);
    /// a request expected to produce more is refused before synthesis. Null for streams and files.
    /// </summary>
    public long? MaxAudioBytes { get; init; }
}

/// <summary>MiniMax's <c>voice_modify</c>: pitch, intensity and timbre each -100..100, and an optional sound effect.</summary>
public sealed record VoiceModification(int Pitch = 0, int Intensity = 0, int Timbre = 0, SoundEffect Effect = SoundEffect.None)
{
    public static VoiceModification None { get; } = new();
}

/// <summary>A voice and its weight in a blend.</summary>
public sealed record VoiceWeight(string Voice, double Weight);
