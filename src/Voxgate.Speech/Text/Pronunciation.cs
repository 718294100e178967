using System.Text.RegularExpressions;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Speech.Text;

public enum PhoneticAlphabet
{
    /// <summary>IPA between slashes: <c>/təˈmeɪtoʊ/</c>.</summary>
    Ipa,

    /// <summary>Romanised syllables with tone digits, each in parentheses: pinyin <c>(chu3)(li3)</c> or Jyutping.</summary>
    ToneSyllables,
}

/// <summary>A pronunciation spelled in a phonetic alphabet rather than in ordinary text.</summary>
public sealed record PhoneticSpelling(PhoneticAlphabet Alphabet, string Value);

/// <summary>
/// One entry of a pronunciation dictionary (MiniMax's <c>pronunciation_dict.tone</c>, <c>"original/replacement"</c>):
/// occurrences of <see cref="Original"/> are spoken as <see cref="Text"/>, or as <see cref="Phonetic"/> where the engine
/// takes phonemes.
/// </summary>
public sealed partial record PronunciationRule(string Original, string? Text, PhoneticSpelling? Phonetic)
{
    /// <summary>
    /// The longest original and the longest replacement, in characters. A name, a phrase or a phonetic spelling fits
    /// easily; a replacement is not a way to send a text larger than the request (the text with its replacements is
    /// billed and held to the surface's limit too, see <see cref="PreparedText.Characters"/>).
    /// </summary>
    public const int MaxCharacters = 100;

    /// <summary>The replacement as the caller wrote it: what the dictionary adds to the text when it applies.</summary>
    public string Replacement => Text ?? (Phonetic!.Alphabet == PhoneticAlphabet.Ipa ? "/" + Phonetic.Value + "/" : Phonetic.Value);

    [GeneratedRegex(@"^(\([\p{L}:]+[1-6]\))+$")]
    private static partial Regex ToneSyllables();

    /// <summary>Parses <c>original/replacement</c>; the replacement is text, <c>/ipa/</c>, or <c>(syl1)(syl2)</c>.</summary>
    public static PronunciationRule Parse(string entry, string parameter)
    {
        int slash = entry.IndexOf('/');
        string original = slash > 0 ? entry[..slash].Trim() : "";
        string replacement = slash > 0 ? entry[(slash + 1)..].Trim() : "";
        if (original.Length == 0 || replacement.Length == 0)
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, parameter,
                $"'{Shorten(entry)}' is not a pronunciation entry; write \"original/replacement\", e.g. \"Omg/Oh my god\".");
        }
        if (TextMetrics.CountCharacters(original) > MaxCharacters || TextMetrics.CountCharacters(replacement) > MaxCharacters)
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, parameter,
                $"The pronunciation entry '{Shorten(entry)}' is too long: an original and its replacement are at most {MaxCharacters} characters each.");
        }
        if (replacement.Length > 2 && replacement[0] == '/' && replacement[^1] == '/')
        {
            return new PronunciationRule(original, null, new PhoneticSpelling(PhoneticAlphabet.Ipa, replacement[1..^1]));
        }
        if (replacement[0] == '/' || replacement[^1] == '/')
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, parameter,
                $"'{entry}': IPA goes between two slashes, e.g. \"tomato//təˈmeɪtoʊ/\".");
        }
        if (ToneSyllables().IsMatch(replacement))
        {
            return new PronunciationRule(original, null, new PhoneticSpelling(PhoneticAlphabet.ToneSyllables, replacement));
        }
        return new PronunciationRule(original, replacement, null);
    }

    private static string Shorten(string entry) => entry.Length <= 40 ? entry : entry[..40] + "...";
}

/// <summary>An engine that reads phonemes inline; it renders a phonetic spelling as markup inside its text.</summary>
public interface IPhoneticInput
{
    /// <exception cref="SpeechRequestException">The spelling cannot be read by this voice (naming what is wrong).</exception>
    string RenderPhonemes(PhoneticSpelling spelling, Engines.VoiceInfo voice);
}

/// <summary>Applies pronunciation rules to text, longest original first, so "New York City" wins over "New York".</summary>
public static class PronunciationApplier
{
    /// <summary>
    /// Reads a text for speech (<paramref name="read"/>: the normaliser) and then applies the dictionary to the words
    /// read, so that an entry for a word the normaliser writes ("Doctor", "nineteen") applies, and so does one for a
    /// word it leaves alone ("Voxgate"). An entry for a written form the normaliser would change (R&amp;D, COVID-19, 3M)
    /// is the caller saying how to read it: where its original is in the text and the reading loses it, those
    /// occurrences are replaced as written and not read, and the stretches between them are read on their own.
    /// </summary>
    /// <param name="addedCharacters">As <see cref="Apply(string, IReadOnlyList{PronunciationRule}, Func{PhoneticSpelling, string}?, string, out int)"/>.</param>
    public static (string Spoken, TextAlignment Alignment) ReadThenApply(string text, Func<string, (string Spoken, TextAlignment Alignment)> read,
        IReadOnlyList<PronunciationRule> rules, Func<PhoneticSpelling, string>? render, string engineName, out int addedCharacters)
    {
        (string spoken, TextAlignment reading) = read(text);
        addedCharacters = 0;
        if (rules.Count == 0)
        {
            return (spoken, reading);
        }
        Regex pattern = Pattern(rules.Select(r => r.Original));
        Dictionary<string, int> inSpoken = Occurrences(pattern, spoken);
        HashSet<string> written = Occurrences(pattern, text).Where(o => inSpoken.GetValueOrDefault(o.Key) < o.Value).Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        if (written.Count == 0)
        {
            string applied = Apply(spoken, rules, render, engineName, out addedCharacters, out TextAlignment dictionary);
            return (applied, reading.Then(dictionary));
        }
        var result = new System.Text.StringBuilder(text.Length);
        var edits = new List<AlignedEdit>();
        int added = 0, readFrom = 0;
        foreach (Match match in pattern.Matches(text))
        {
            if (!written.Contains(match.Value))
            {
                continue;
            }
            ReadStretch(match.Index);
            string replacement = Apply(match.Value, rules, render, engineName, out int more);
            added += more;
            edits.Add(new AlignedEdit(result.Length, result.Length + replacement.Length, match.Index, match.Index + match.Length));
            result.Append(replacement);
            readFrom = match.Index + match.Length;
        }
        ReadStretch(text.Length);
        addedCharacters = added;
        return (result.ToString(), edits.Count == 0 ? TextAlignment.Identity : new TextAlignment(edits));

        void ReadStretch(int end)
        {
            if (end <= readFrom)
            {
                return;
            }
            (string stretch, TextAlignment stretchReading) = read(text[readFrom..end]);
            stretch = Apply(stretch, rules, render, engineName, out int more, out TextAlignment dictionary);
            added += more;
            int spokenOffset = result.Length, sourceOffset = readFrom;
            edits.AddRange(stretchReading.Then(dictionary).Edits.Select(e =>
                new AlignedEdit(e.SpokenStart + spokenOffset, e.SpokenEnd + spokenOffset, e.SourceStart + sourceOffset, e.SourceEnd + sourceOffset)));
            result.Append(stretch);
        }
    }

    private static Dictionary<string, int> Occurrences(Regex pattern, string text) =>
        pattern.Matches(text).GroupBy(m => m.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Every original, longest first (so that "New York City" wins over "New York"), each at its boundaries.</summary>
    private static Regex Pattern(IEnumerable<string> originals) =>
        new(string.Join("|", originals.OrderByDescending(o => o.Length).Select(Boundary)), RegexOptions.CultureInvariant);

    /// <param name="render">Renders a phonetic replacement for the engine; null when the engine takes none.</param>
    /// <param name="addedCharacters">
    /// Characters the replacements added to the text, counted as the caller wrote them (negative when they shortened it).
    /// </param>
    public static string Apply(string text, IReadOnlyList<PronunciationRule> rules, Func<PhoneticSpelling, string>? render, string engineName,
        out int addedCharacters) => Apply(text, rules, render, engineName, out addedCharacters, out _);

    /// <param name="alignment">Which stretches of the result replaced which of <paramref name="text"/>.</param>
    public static string Apply(string text, IReadOnlyList<PronunciationRule> rules, Func<PhoneticSpelling, string>? render, string engineName,
        out int addedCharacters, out TextAlignment alignment)
    {
        addedCharacters = 0;
        alignment = TextAlignment.Identity;
        if (rules.Count == 0)
        {
            return text;
        }
        var replacements = new List<(string Original, string Replacement)>();
        foreach (PronunciationRule rule in rules.OrderByDescending(r => r.Original.Length))
        {
            string replacement = rule.Text ?? (render ?? throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "pronunciation_dict",
                $"The engine '{engineName}' cannot take phonetic spellings ('{rule.Original}/{(rule.Phonetic!.Alphabet == PhoneticAlphabet.Ipa ? "/" + rule.Phonetic.Value + "/" : rule.Phonetic.Value)}'); " +
                "give a plain-text replacement, or use an eSpeak NG voice."))(rule.Phonetic!);
            replacements.Add((rule.Original, replacement));
        }
        // One pass over the text, so a replacement is never itself replaced by a later rule.
        Regex pattern = Pattern(replacements.Select(r => r.Original));
        var byOriginal = replacements.ToDictionary(r => r.Original, r => r.Replacement, StringComparer.Ordinal);
        var growth = rules.GroupBy(r => r.Original, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => TextMetrics.CountCharacters(g.First().Replacement) - TextMetrics.CountCharacters(g.Key), StringComparer.Ordinal);
        int added = 0, copiedFrom = 0;
        var applied = new SpokenTextBuilder(text.Length);
        foreach (Match match in pattern.Matches(text))
        {
            added += growth[match.Value];
            applied.Copy(text, copiedFrom, match.Index - copiedFrom);
            applied.Replace(match.Index, match.Length, byOriginal[match.Value], keepApart: false);
            copiedFrom = match.Index + match.Length;
        }
        applied.Copy(text, copiedFrom, text.Length - copiedFrom);
        addedCharacters = added;
        (string result, alignment) = applied.Build();
        return result;
    }

    /// <summary>Whole words for alphabetic originals ("cat" is not replaced inside "catalog"); anywhere for others (CJK).</summary>
    private static string Boundary(string original)
    {
        string escaped = Regex.Escape(original);
        bool wordLike = char.IsLetterOrDigit(original[0]) && original.All(c => c < 0x2E80);
        return wordLike ? $@"(?<![\p{{L}}\p{{N}}]){escaped}(?![\p{{L}}\p{{N}}])" : escaped;
    }
}
