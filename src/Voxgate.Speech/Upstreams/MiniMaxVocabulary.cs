using Voxgate.Speech.Audio;
using Voxgate.Speech.Text;

namespace Voxgate.Speech.Upstreams;

/// <summary>
/// MiniMax's names for what the canonical request holds in its own terms: <c>language_boost</c> values, sound
/// effects, and pronunciation entries. The MiniMax surface reads them; the MiniMax upstream client writes them back.
/// </summary>
public static class MiniMaxVocabulary
{
    /// <summary>language_boost names and the language tags they stand for (eSpeak's, where it names a language its own way).</summary>
    private static readonly Dictionary<string, string> s_languages = new(StringComparer.Ordinal)
    {
        ["auto"] = "auto", ["Chinese"] = "cmn", ["Chinese,Yue"] = "yue", ["English"] = "en", ["Arabic"] = "ar", ["Russian"] = "ru",
        ["Spanish"] = "es", ["French"] = "fr", ["Portuguese"] = "pt", ["German"] = "de", ["Turkish"] = "tr", ["Dutch"] = "nl",
        ["Ukrainian"] = "uk", ["Vietnamese"] = "vi", ["Indonesian"] = "id", ["Japanese"] = "ja", ["Italian"] = "it", ["Korean"] = "ko",
        ["Thai"] = "th", ["Polish"] = "pl", ["Romanian"] = "ro", ["Greek"] = "el", ["Czech"] = "cs", ["Finnish"] = "fi", ["Hindi"] = "hi",
        ["Bulgarian"] = "bg", ["Danish"] = "da", ["Hebrew"] = "he", ["Malay"] = "ms", ["Persian"] = "fa", ["Slovak"] = "sk",
        ["Swedish"] = "sv", ["Croatian"] = "hr", ["Filipino"] = "fil", ["Hungarian"] = "hu", ["Norwegian"] = "nb", ["Slovenian"] = "sl",
        ["Catalan"] = "ca", ["Nynorsk"] = "nn", ["Tamil"] = "ta", ["Afrikaans"] = "af",
    };

    private static readonly Dictionary<string, SoundEffect> s_effects = new(StringComparer.Ordinal)
    {
        ["spacious_echo"] = SoundEffect.SpaciousEcho, ["auditorium_echo"] = SoundEffect.AuditoriumEcho,
        ["lofi_telephone"] = SoundEffect.LofiTelephone, ["robotic"] = SoundEffect.Robotic,
    };

    public static IEnumerable<string> SoundEffectNames => s_effects.Keys;

    public static bool TryGetLanguage(string boost, out string tag) => s_languages.TryGetValue(boost, out tag!);

    public static string? LanguageName(string tag) => s_languages.FirstOrDefault(l => l.Value == tag).Key;

    public static bool TryGetSoundEffect(string name, out SoundEffect effect) => s_effects.TryGetValue(name, out effect);

    public static string? SoundEffectName(SoundEffect effect) => s_effects.FirstOrDefault(e => e.Value == effect).Key;

    /// <summary>A pronunciation rule as a <c>pronunciation_dict.tone</c> entry again: <c>original/replacement</c>.</summary>
    public static string ToneEntry(PronunciationRule rule) => rule switch
    {
        { Text: { } text } => $"{rule.Original}/{text}",
        { Phonetic: { Alphabet: PhoneticAlphabet.Ipa } ipa } => $"{rule.Original}//{ipa.Value}/",
        { Phonetic: { } syllables } => $"{rule.Original}/{syllables.Value}",
        _ => throw new ArgumentException("A pronunciation rule has a text or a phonetic replacement.", nameof(rule)),
    };
}
