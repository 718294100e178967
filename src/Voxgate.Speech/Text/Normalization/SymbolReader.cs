namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Symbols read as words: &amp; → "and", + → "plus", @ → "at", = → "equals", × → "times", ± → "plus or minus",
/// ~ before a number → "about", § → "section", # → "number" before a digit and "hashtag" before a letter. A symbol
/// that is part of a word's spelling elsewhere (C++) is read too: "C plus plus".
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

    public TokenKind Kind => TokenKind.Symbol;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char c = text[start];
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
}
