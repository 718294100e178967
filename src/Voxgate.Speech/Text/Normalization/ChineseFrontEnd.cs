namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Writes Chinese text the way a careful Mandarin reader says it: numbers, dates, times, money, percentages,
/// telephone numbers, fractions and units in Chinese characters, keeping track of what was rewritten
/// (<see cref="TextAlignment"/>) so that subtitles point back at what the caller wrote. The same pass as English
/// (<see cref="TokenPass"/>), with Chinese readers: a range's dash is 到 (3-5 → 三到五; ~ and ～ too), and no spaces
/// are put between the words read and the text around them.
/// </summary>
public sealed class ChineseFrontEnd
{
    private static readonly TokenPass s_pass = new(
    [
        new ChineseTelephoneReader(),
        new ChineseMoneyReader(),
        new ChineseDateReader(),
        new ChineseTimeReader(),
        new ChinesePercentReader(),
        new ChineseUnitReader(),
        new ChineseFractionReader(),
        new ChineseYearReader(),
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
    public (string Spoken, TextAlignment Alignment) Read(string text) => s_pass.Read(new ReadingContext(text, EnglishReadingOptions.Default));

    /// <summary>Reads a whole token as one kind (SSML's say-as), or null when it is not one of that kind.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Used through an instance, like EnglishFrontEnd (whose reading depends on options), so callers treat both front-ends alike.")]
    public string? ReadAs(TokenKind kind, string token)
    {
        token = token.Trim();
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
