using System.Text;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Web addresses and e-mail addresses, as people read them out: "example dot com slash docs",
/// "jane dot doe at example dot org". The scheme (https://) is not read; "www" is "W W W"; digits are read one by one;
/// a two-letter last label (a country: io, uk) is spelled out.
/// </summary>
public sealed partial class UrlReader : ITokenReader
{
    private static readonly Dictionary<char, string> s_punctuation = new()
    {
        ['.'] = "dot", ['/'] = "slash", ['-'] = "dash", ['_'] = "underscore", [':'] = "colon", ['?'] = "question mark",
        ['='] = "equals", ['&'] = "and", ['#'] = "hash", ['@'] = "at", ['~'] = "tilde", ['%'] = "percent", ['+'] = "plus",
    };

    [GeneratedRegex(@"\G(?:(?:https?|ftp)://|www\.)[^\s<>""'()\[\]{}]+", RegexOptions.IgnoreCase)]
    private static partial Regex Address();

    [GeneratedRegex(@"\G[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[\p{L}]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"\G[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|dev|ai|app|co|uk|de|fr|eu|info|tv|me|ly)(?:/[^\s<>""'()\[\]{}]*)?(?![\p{L}\p{N}@])", RegexOptions.IgnoreCase)]
    private static partial Regex BareDomain();

    public TokenKind Kind => TokenKind.Url;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        if (!char.IsLetterOrDigit(first) || (start > 0 && text[start - 1] is '@' or '.' or '/'))
        {
            return false;
        }
        if (!LooksLikeAnAddress(text, start))
        {
            return false; // the common case, a word: no regular expression run
        }
        Match match = Email().Match(text, start);
        if (!match.Success)
        {
            match = Address().Match(text, start);
        }
        if (!match.Success)
        {
            match = BareDomain().Match(text, start);
        }
        if (!match.Success)
        {
            return false;
        }
        // A sentence's own punctuation after an address is not part of it.
        int length = match.Length;
        while (length > 0 && text[start + length - 1] is '.' or ',' or ';' or ':' or '!' or '?')
        {
            length--;
        }
        reading = new TokenReading(length, Say(text.Substring(start, length)), IsNumber: false);
        return true;
    }

    /// <summary>Whether the run of non-spaces at a position has an @, or a dot followed by a letter (cheap pre-check).</summary>
    private static bool LooksLikeAnAddress(string text, int start)
    {
        for (int i = start; i < text.Length && !char.IsWhiteSpace(text[i]); i++)
        {
            if (text[i] == '@' || (text[i] is '.' or ':' && i + 1 < text.Length && char.IsLetter(text[i + 1])))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>An address read part by part.</summary>
    public static string Say(string address)
    {
        int scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            address = address[(scheme + 3)..];
        }
        address = address.TrimEnd('/');
        int lastDot = address.IndexOf('/') is int slash and >= 0 ? address.LastIndexOf('.', slash) : address.LastIndexOf('.');
        var words = new List<string>();
        int i = 0;
        while (i < address.Length)
        {
            char c = address[i];
            if (char.IsLetter(c))
            {
                int end = i;
                while (end < address.Length && char.IsLetter(address[end]))
                {
                    end++;
                }
                string word = address[i..end];
                bool countryLabel = i == lastDot + 1 && lastDot >= 0 && word.Length == 2 && (end == address.Length || address[end] is '/' or ':');
                words.Add(word.Equals("www", StringComparison.OrdinalIgnoreCase) || countryLabel ? Spell(word) : word);
                i = end;
            }
            else if (char.IsAsciiDigit(c))
            {
                int end = i;
                while (end < address.Length && char.IsAsciiDigit(address[end]))
                {
                    end++;
                }
                words.Add(NumberWords.Digits(address.AsSpan(i, end - i)));
                i = end;
            }
            else
            {
                if (s_punctuation.TryGetValue(c, out string? said))
                {
                    words.Add(said);
                }
                i++;
            }
        }
        return string.Join(' ', words);
    }

    /// <summary>Letters one by one, as capitals so that engines say their names: "W W W".</summary>
    public static string Spell(string letters)
    {
        var spelled = new StringBuilder(letters.Length * 2);
        foreach (char c in letters)
        {
            if (spelled.Length > 0)
            {
                spelled.Append(' ');
            }
            spelled.Append(char.ToUpperInvariant(c));
        }
        return spelled.ToString();
    }
}
