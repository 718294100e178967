using System.Text.RegularExpressions;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// MiniMax's emotions. Local engines have no emotional models, so each is rendered as a small, audible prosody
/// change: pitch, speed and intensity (documented in docs/api.md); <c>calm</c> and <c>fluent</c> change nothing.
/// <c>neutral</c>, which older MiniMax documents list and clients still send, means no emotion at all.
/// </summary>
public static class Emotions
{
    public const string Neutral = "neutral";

    private static readonly Dictionary<string, (double Semitones, double SpeedFactor, int Intensity)> s_prosody = new(StringComparer.Ordinal)
    {
        ["happy"] = (1.5, 1.06, 15),
        ["sad"] = (-1.5, 0.9, -30),
        ["angry"] = (0.5, 1.08, 60),
        ["fearful"] = (1.0, 1.1, -15),
        ["disgusted"] = (-1.0, 0.95, 20),
        ["surprised"] = (2.5, 1.04, 25),
        ["calm"] = (0, 1, 0),
        ["fluent"] = (0, 1, 0),
        ["whisper"] = (0, 0.95, -70),
        [Neutral] = (0, 1, 0),
    };

    public static IReadOnlyCollection<string> Names => s_prosody.Keys;

    public static bool IsKnown(string emotion) => s_prosody.ContainsKey(emotion);

    /// <summary>True for an emotion that asks for something (not absent, not <c>neutral</c>).</summary>
    public static bool AsksForOne(string? emotion) => emotion is not null && emotion != Neutral;

    public static (double Semitones, double SpeedFactor, int Intensity) Prosody(string? emotion) =>
        emotion is null ? (0, 1, 0) : s_prosody[emotion];

    /// <summary>Words of an OpenAI <c>instructions</c> text that name an emotion, first match wins.</summary>
    private static readonly (Regex Words, string Emotion)[] s_instructionWords = new (string Emotion, string Words)[]
    {
        ("whisper", @"whisper\w*|hushed"),
        ("angry", @"angr\w*|furious|irritated|annoyed|stern"),
        ("sad", @"sad\w*|melanchol\w*|sorrow\w*|gloomy|somber|sombre|mournful"),
        ("fearful", @"fear\w*|afraid|scared|nervous|anxious|frightened"),
        ("disgusted", @"disgust\w*|revolted|contempt\w*"),
        ("surprised", @"surpris\w*|astonish\w*|amazed|excited|excitement"),
        ("happy", @"happ\w*|cheer\w*|joy\w*|upbeat|enthusiastic\w*|delighted"),
        ("calm", @"calm\w*|sooth\w*|relax\w*|gentle|serene"),
        (Neutral, @"neutral\w*"),
    }.Select(w => (new Regex($@"\b({w.Words})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), w.Emotion)).ToArray();

    /// <summary>
    /// The emotion an OpenAI <c>instructions</c> text asks for ("Speak in a cheerful tone" is happy, "whisper" is
    /// whisper), or null. OpenAI's models read instructions freely; a local engine can only render one of the
    /// emotions' prosodies, so a word naming one is all it looks for.
    /// </summary>
    public static string? FromInstructions(string? instructions) =>
        instructions is null ? null : s_instructionWords.FirstOrDefault(w => w.Words.IsMatch(instructions)).Emotion;
}
