using System.Text.RegularExpressions;
using Voxgate.Gateway.Accounts;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Voices;

/// <summary>What a description turned into: an installed voice (or a blend of two), the controls, and the traits read.</summary>
public sealed record DesignedVoice(string BaseVoice, VoiceControls Controls, IReadOnlyList<string> Traits);

/// <summary>
/// MiniMax's voice design, done locally: the words of a prompt (gender, age, pitch, pace, warmth, intensity, accent)
/// choose among the installed voices, and are turned into voice controls (pitch in semitones, speed, timbre,
/// intensity), as docs/api.md's table says. Unknown words are ignored; a prompt with none of these words gets the
/// first preferred English voice unchanged.
/// </summary>
public static partial class VoiceDesigner
{
    private sealed record Trait(string Name, double Semitones = 0, double Speed = 1, int Timbre = 0, int Intensity = 0);

    private static readonly (string[] Words, Trait Trait)[] s_traits =
    [
        (["child", "kid", "little", "childlike", "childish"], new("child", Semitones: 3, Speed: 1.05)),
        (["young", "youthful", "teen", "teenage", "teenager"], new("young", Semitones: 1)),
        (["middle-aged", "mature"], new("middle-aged", Semitones: -1)),
        (["old", "elderly", "aged", "senior", "grandfather", "grandmother", "grandpa", "grandma"], new("old", Semitones: -2, Speed: 0.9)),
        (["high", "high-pitched", "squeaky", "shrill"], new("high-pitched", Semitones: 3)),
        (["low", "deep", "bass", "baritone", "husky", "gravelly", "low-pitched"], new("deep", Semitones: -3)),
        (["fast", "quick", "rapid", "brisk", "energetic", "excited", "lively"], new("fast", Speed: 1.15)),
        (["slow", "leisurely", "measured", "calm", "relaxed", "deliberate", "unhurried"], new("slow", Speed: 0.88)),
        (["warm", "soft", "gentle", "gently", "mellow", "smooth", "rich", "soothing"], new("warm", Timbre: -40)),
        (["bright", "crisp", "sharp", "clear", "thin"], new("bright", Timbre: 40)),
        (["whisper", "whispering", "whispery", "breathy", "quiet", "hushed"], new("quiet", Intensity: -50)),
        (["powerful", "strong", "loud", "commanding", "authoritative", "bold", "forceful"], new("powerful", Intensity: 40)),
    ];

    private static readonly Dictionary<string, VoiceGender> s_genders = new()
    {
        ["female"] = VoiceGender.Female, ["woman"] = VoiceGender.Female, ["women"] = VoiceGender.Female, ["girl"] = VoiceGender.Female,
        ["lady"] = VoiceGender.Female, ["feminine"] = VoiceGender.Female, ["mother"] = VoiceGender.Female, ["grandmother"] = VoiceGender.Female,
        ["grandma"] = VoiceGender.Female, ["she"] = VoiceGender.Female, ["her"] = VoiceGender.Female,
        ["male"] = VoiceGender.Male, ["man"] = VoiceGender.Male, ["men"] = VoiceGender.Male, ["boy"] = VoiceGender.Male, ["guy"] = VoiceGender.Male,
        ["gentleman"] = VoiceGender.Male, ["masculine"] = VoiceGender.Male, ["father"] = VoiceGender.Male, ["grandfather"] = VoiceGender.Male,
        ["grandpa"] = VoiceGender.Male, ["he"] = VoiceGender.Male, ["his"] = VoiceGender.Male,
    };

    /// <summary>Accent and language words, to the language tag the voice must speak.</summary>
    private static readonly Dictionary<string, string> s_accents = new()
    {
        ["american"] = "en-us", ["british"] = "en-gb", ["english"] = "en", ["uk"] = "en-gb", ["scottish"] = "en-gb-scotland",
        ["french"] = "fr", ["german"] = "de", ["spanish"] = "es", ["italian"] = "it", ["portuguese"] = "pt", ["brazilian"] = "pt-br",
        ["russian"] = "ru", ["japanese"] = "ja", ["korean"] = "ko", ["chinese"] = "cmn", ["mandarin"] = "cmn", ["cantonese"] = "yue",
        ["hindi"] = "hi", ["indian"] = "hi", ["arabic"] = "ar", ["dutch"] = "nl", ["polish"] = "pl", ["turkish"] = "tr",
    };

    [GeneratedRegex("[a-z]+(?:-[a-z]+)*")]
    private static partial Regex Words();

    /// <param name="voices">The voices to choose among (cloning engines' voices left out by the caller).</param>
    /// <param name="canBlend">Whether an engine blends voices (Kokoro, Kitten).</param>
    /// <param name="preferredEngines">The engines the model the voice is designed with prefers (its catalog <c>Prefer</c>
    /// list and its own engine): among voices that fit equally, theirs win.</param>
    /// <exception cref="GatewayInputException">No installed voice at all.</exception>
    public static DesignedVoice Design(string prompt, IReadOnlyList<VoiceInfo> voices, Func<string, bool> canBlend, IReadOnlyList<string>? preferredEngines = null)
    {
        var words = new List<string>();
        foreach (Match match in Words().Matches(prompt.ToLowerInvariant()))
        {
            words.Add(match.Value);
            if (match.Value.Contains('-'))
            {
                words.AddRange(match.Value.Split('-'));
            }
            if (match.Value.Length > 5 && match.Value.EndsWith("ly", StringComparison.Ordinal))
            {
                words.Add(match.Value[..^2]); // slowly, warmly, quickly, softly
            }
        }
        VoiceGender gender = words.Select(w => s_genders.GetValueOrDefault(w)).FirstOrDefault(g => g != VoiceGender.Unknown);
        string? accent = words.Select(w => s_accents.GetValueOrDefault(w)).FirstOrDefault(a => a is not null);
        var traits = new List<Trait>();
        foreach ((string[] list, Trait trait) in s_traits)
        {
            if (words.Any(w => list.Contains(w)) && !traits.Contains(trait))
            {
                traits.Add(trait);
            }
        }
        if (voices.Count == 0)
        {
            throw new GatewayInputException("prompt", "No voice is installed on this server to design from.");
        }
        string language = accent ?? "en";
        List<(VoiceInfo Voice, int Score)> ranked = [.. voices
            .Select((v, i) => (Voice: v, Score: Score(v, gender, language) + (preferredEngines?.Contains(v.Engine, StringComparer.OrdinalIgnoreCase) == true ? 1 : 0), Index: i))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Index)
            .Select(s => (s.Voice, s.Score))];
        (VoiceInfo best, int bestScore) = ranked[0];
        IReadOnlyList<BlendPart>? blend = null;
        if (canBlend(best.Engine) && ranked.Skip(1).FirstOrDefault(r => r.Voice.Engine == best.Engine && r.Score == bestScore) is { Voice: { } second })
        {
            // Two voices fit the description equally: their blend is a voice of its own, as a design should be.
            blend = [new BlendPart(best.Id, 1), new BlendPart(second.Id, 1)];
        }
        var controls = new VoiceControls(
            Math.Clamp(traits.Sum(t => t.Semitones), -SpeechPlanner.MaxPitchSemitones, SpeechPlanner.MaxPitchSemitones),
            Math.Clamp(traits.Aggregate(1.0, (s, t) => s * t.Speed), 0.5, 2),
            Math.Clamp(traits.Sum(t => t.Timbre), -100, 100),
            Math.Clamp(traits.Sum(t => t.Intensity), -100, 100),
            blend);
        List<string> described = [.. (gender == VoiceGender.Unknown ? [] : new[] { gender.ToString().ToLowerInvariant() }),
            .. traits.Select(t => t.Name), .. (accent is null ? [] : new[] { accent })];
        return new DesignedVoice(best.Id, controls, described);
    }

    private static int Score(VoiceInfo voice, VoiceGender gender, string language)
    {
        int score = 0;
        if (gender != VoiceGender.Unknown)
        {
            score += voice.Gender == gender ? 8 : voice.Gender == VoiceGender.Unknown ? 0 : -8;
        }
        if (voice.Language.Equals(language, StringComparison.OrdinalIgnoreCase))
        {
            score += 6;
        }
        else if (SpeechPlanner.Speaks(voice, language) || SpeechPlanner.Speaks(voice, language.Split('-')[0]))
        {
            score += 4;
        }
        // Neural voices sound best, then Flite's, then eSpeak's.
        score += voice.Engine switch
        {
            "espeak" => 0,
            "flite" => 1,
            _ => 2,
        };
        return score;
    }
}
