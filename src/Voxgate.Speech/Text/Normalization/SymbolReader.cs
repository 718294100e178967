namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Symbols read as words: &amp; → "and", + → "plus", @ → "at", = → "equals", × → "times", ± → "plus or minus",
/// ~ before a number → "about", § → "section", # → "number" before a digit and "hashtag" before a letter. A symbol
/// that is part of a word's spelling elsewhere (C++) is read too: "C plus plus". A slash between an amount and a
/// period or a count is "per", its abbreviation said whole: $2,350/month → "... dollars per month", $15/hr → "per
/// hour", $40/person.
/// </summary>
public sealed class SymbolReader : ITokenReader
{
    private static readonly Dictionary<char, string> s_symbols = new()
    {
        ['&'] = "and", ['+'] = "plus", ['@'] = "at", ['='] = "equals", ['×'] = "times", ['÷'] = "divided by",
        ['±'] = "plus or minus", ['≈'] = "approximately", ['≠'] = "is not equal to", ['≤'] = "less than or equal to",
        ['≥'] = "greater than or equal to", ['§'] = "section", ['¶'] = "paragraph", ['©'] = "copyright", ['°'] = "degrees",
        ['‰'] = "per mille", ['√'] = "square root of", ['∞'] = "infinity", ['π'] = "pi",
    };

    /// <summary>What may follow an amount's slash, and how it is said after "per".</summary>
    private static readonly Dictionary<string, string> s_perWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["second"] = "second", ["sec"] = "second", ["minute"] = "minute", ["min"] = "minute", ["hour"] = "hour",
        ["hr"] = "hour", ["h"] = "hour", ["day"] = "day", ["night"] = "night", ["week"] = "week", ["wk"] = "week",
        ["month"] = "month", ["mo"] = "month", ["year"] = "year", ["yr"] = "year", ["person"] = "person",
        ["head"] = "head", ["user"] = "user", ["seat"] = "seat", ["item"] = "item", ["unit"] = "unit", ["piece"] = "piece",
        ["guest"] = "guest", ["ticket"] = "ticket", ["share"] = "share",
    };

    public TokenKind Kind => TokenKind.Symbol;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char c = text[start];
        if (c == '/' && PerWord(text, start) is { } per)
        {
            reading = new TokenReading(1 + per.Length, "per " + per.Spoken, IsNumber: false);
            return true;
        }
        char next = start + 1 < text.Length ? text[start + 1] : '\0';
        string? spoken = c switch
        {
            '#' when char.IsAsciiDigit(next) => "number",
            '#' when char.IsLetter(next) => "hashtag",
            '~' when char.IsAsciiDigit(next) || next == ' ' && start + 2 < text.Length && char.IsAsciiDigit(text[start + 2]) => "about",
            '<' or '>' when next == ' ' && start > 0 && text[start - 1] == ' ' => c == '<' ? "less than" : "greater than",
            _ => s_symbols.GetValueOrDefault(c),
        };
        if (spoken is null)
        {
            return false;
        }
        int length = c == '~' && next == ' ' ? 2 : 1;
        reading = new TokenReading(length, spoken, IsNumber: false);
        return true;
    }

    /// <summary>The word after a slash that follows an amount's last digit, when it is a period or a count.</summary>
    private static (int Length, string Spoken)? PerWord(string text, int slash)
    {
        if (slash == 0 || !char.IsAsciiDigit(text[slash - 1]))
        {
            return null;
        }
        int end = slash + 1;
        while (end < text.Length && char.IsAsciiLetter(text[end]))
        {
            end++;
        }
        if (end < text.Length && char.IsLetterOrDigit(text[end]))
        {
            return null;
        }
        return s_perWords.TryGetValue(text[(slash + 1)..end], out string? spoken) ? (end - slash - 1, spoken) : null;
    }
}
