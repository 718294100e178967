namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Writes Chinese text the way a careful Mandarin reader says it: numbers, dates, times, money, percentages,
/// telephone numbers, fractions and units in Chinese characters, keeping track of what was rewritten
/// (<see cref="TextAlignment"/>) so that subtitles point back at what the caller wrote. The same pass as English
/// (<see cref="TokenPass"/>), with Chinese readers: a range's dash is 到 (3-5 → 三到五; ~ and ～ too), and no spaces
/// are put between the words read and the text around them. Full-width digits and signs are read as their ASCII forms
/// (<see cref="NarrowDigitsAndSigns"/>); what is not rewritten is spoken as the caller wrote it.
/// </summary>
public sealed class ChineseFrontEnd
{
    private static readonly TokenPass s_pass = new(
    [
        new ChineseTelephoneReader(),
        new ChineseMoneyReader(),
        new ChineseNameNumberReader(),
        new ChineseDateReader(),
        new ChineseRaceTimeReader(),
        new ChineseScoreReader(),
        new ChineseTimeReader(),
        new ChinesePercentReader(),
        new ChineseUnitReader(),
        new ChineseYearReader(), // before fractions: 2023/24赛季 is two years
        new ChineseFractionReader(),
        new ChineseOrdinalReader(),
        new ChineseNumberReader(),
    ], (_, _) => "到", rangeDashes: "~～", keepApart: false);

    /// <summary>The readers in the order they are offered a position: the most specific first.</summary>
    public static IReadOnlyList<ITokenReader> Readers => s_pass.Readers;

    public static ChineseFrontEnd Default { get; } = new();

    /// <summary>The text as spoken.</summary>
    public string Normalize(string text) => Read(text).Spoken;

    /// <summary>The text as spoken, and where each rewritten stretch came from.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Used through an instance, like EnglishFrontEnd (whose reading depends on options), so callers treat both front-ends alike.")]
    public (string Spoken, TextAlignment Alignment) Read(string text)
    {
        string narrow = NarrowDigitsAndSigns(text);
        (string spoken, TextAlignment alignment) = s_pass.Read(new ReadingContext(narrow, EnglishReadingOptions.Default));
        return (ReferenceEquals(narrow, text) ? spoken : WithCopiesAsWritten(spoken, alignment, text), alignment);
    }

    /// <summary>
    /// Full-width digits, letters and the signs of numbers (０-９, Ａ-Ｚ, ％, ＋, ．：／－ between or before digits, and
    /// brackets next to digits: （010）) as
    /// their ASCII forms, so that they are read alike (１２３元 → 一百二十三元). One character for one, so offsets into
    /// the result are offsets into the caller's text and the alignment needs no change. Full-width punctuation that
    /// Chinese writes as punctuation (，。：) is kept apart from numbers (一，二 is not 1,2).
    /// </summary>
    private static string NarrowDigitsAndSigns(string text)
    {
        char[]? narrow = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool fold = c is >= '０' and <= '９' or >= 'Ａ' and <= 'Ｚ' or >= 'ａ' and <= 'ｚ' or '％' or '＋'
                || (c == '－' && IsDigitAt(text, i + 1)) || (c == '（' && IsDigitAt(text, i + 1)) || (c == '）' && IsDigitAt(text, i - 1))
                || (c is '．' or '：' or '／' && IsDigitAt(text, i - 1) && IsDigitAt(text, i + 1));
            if (fold)
            {
                narrow ??= text.ToCharArray();
                narrow[i] = (char)(c - '０' + '0');
            }
        }
        return narrow is null ? text : new string(narrow);
    }

    private static bool IsDigitAt(string text, int i) => i >= 0 && i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is >= '０' and <= '９');

    /// <summary>
    /// The spoken text with what was copied unchanged put back as the caller wrote it (full-width letters stay
    /// full-width): between rewritten stretches the spoken text is the narrowed text, offset by the edits before.
    /// </summary>
    private static string WithCopiesAsWritten(string spoken, TextAlignment alignment, string written)
    {
        char[] result = spoken.ToCharArray();
        int spokenAt = 0, shift = 0;
        foreach (AlignedEdit edit in alignment.Edits.Append(new AlignedEdit(spoken.Length, spoken.Length, spoken.Length + shift, spoken.Length + shift)))
        {
            for (int i = spokenAt; i < edit.SpokenStart; i++)
            {
                result[i] = written[i + shift];
            }
            spokenAt = edit.SpokenEnd;
            shift = edit.SourceEnd - edit.SpokenEnd;
        }
        return new string(result);
    }

    /// <summary>Reads a whole token as one kind (SSML's say-as), or null when it is not one of that kind.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Used through an instance, like EnglishFrontEnd (whose reading depends on options), so callers treat both front-ends alike.")]
    public string? ReadAs(TokenKind kind, string token)
    {
        token = NarrowDigitsAndSigns(token.Trim());
        if (token.Length == 0)
        {
            return null;
        }
        if (kind == TokenKind.Digits)
        {
            return token.Any(char.IsAsciiDigit) ? ChineseNumberWords.Digits(token) : null;
        }
        return s_pass.ReadAs(new ReadingContext(token, EnglishReadingOptions.Default), kind);
    }

    /// <summary>
    /// Whether text is read as Chinese: its language is Mandarin or Cantonese (MiniMax's <c>language_boost</c>
    /// Chinese or Chinese,Yue, or the voice's language), or, unless the language is Japanese or Korean (which write
    /// Han characters too), the text has Han characters and no kana.
    /// </summary>
    public static bool Reads(string? language, string text)
    {
        string tag = language?.ToLowerInvariant() ?? "";
        if (tag.StartsWith("cmn", StringComparison.Ordinal) || tag.StartsWith("zh", StringComparison.Ordinal) || tag.StartsWith("yue", StringComparison.Ordinal))
        {
            return true;
        }
        if (tag.StartsWith("ja", StringComparison.Ordinal) || tag.StartsWith("ko", StringComparison.Ordinal))
        {
            return false;
        }
        bool han = false;
        foreach (char c in text)
        {
            if (c is >= '\u3040' and <= '\u30FF')
            {
                return false; // kana: Japanese
            }
            han |= ChineseNumberWords.IsHan(c);
        }
        return han;
    }
}
