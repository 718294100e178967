namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Writes English text the way a careful reader says it, and keeps track of what was rewritten
/// (<see cref="TextAlignment"/>), so that subtitles and word times can point back at what the caller wrote.
/// </summary>
/// <remarks>
/// One pass over the text: at each place a token can start, the readers are offered it in order, and the first that
/// reads a token there wins; its words replace the token, and the pass goes on after it. So a token is read once, by
/// the most specific reader ("$4.2 million" by the money reader, never as "$4.2" and then "million"), and no reader
/// ever reads another's words. Where none reads, the character is kept. A dash right after a number and before
/// another is "to" (10-12, 1990-95, 5-10 kg), and "and" after "between" (between 20-30 → "between twenty and
/// thirty"); a chain of three or more (2026-13-45) is not a range.
/// </remarks>
public sealed class EnglishFrontEnd
{
    /// <summary>The readers in the order they are offered a position: the most specific first.</summary>
    public static IReadOnlyList<ITokenReader> Readers { get; } =
    [
        new UrlReader(),
        new AbbreviationReader(),
        new RomanNumeralReader(),
        new MoneyReader(),
        new TelephoneReader(),
        new DateReader(),
        new TimeReader(),
        new PercentReader(),
        new UnitReader(),
        new FractionReader(),
        new YearReader(),
        new OrdinalReader(),
        new NumberReader(),
        new SymbolReader(),
    ];

    private readonly EnglishReadingOptions _options;

    public EnglishFrontEnd(EnglishReadingOptions? options = null)
    {
        _options = options ?? EnglishReadingOptions.Default;
    }

    public static EnglishFrontEnd Default { get; } = new();

    /// <summary>The text as spoken.</summary>
    public string Normalize(string text) => Read(text).Spoken;

    /// <summary>The text as spoken, and where each rewritten stretch came from.</summary>
    public (string Spoken, TextAlignment Alignment) Read(string text)
    {
        var context = new ReadingContext(text, _options);
        var spoken = new SpokenTextBuilder(text.Length + text.Length / 4);
        int copiedFrom = 0;
        int lastNumberStart = -1, lastNumberEnd = -1;
        int i = 0;
        while (i < text.Length)
        {
            if (i == lastNumberEnd && RangeDashLength(text, i) is int dash and > 0 && !InChain(text, lastNumberStart, i + dash))
            {
                spoken.Copy(text, copiedFrom, i - copiedFrom);
                spoken.Replace(i, dash, context.PreviousWord(lastNumberStart) is { Word: "between" or "Between" } ? " and " : " to ");
                i += dash;
                copiedFrom = i;
                lastNumberEnd = -1;
                continue;
            }
            if (!MayStartToken(text, i))
            {
                i++;
                continue;
            }
            if (TryRead(context, i, out TokenReading reading))
            {
                spoken.Copy(text, copiedFrom, i - copiedFrom);
                spoken.Replace(i, reading.Length, reading.Spoken);
                i += reading.Length;
                copiedFrom = i;
                (lastNumberStart, lastNumberEnd) = reading.IsNumber ? (i - reading.Length, i) : (-1, -1);
                continue;
            }
            i++;
        }
        spoken.Copy(text, copiedFrom, text.Length - copiedFrom);
        return spoken.Build();
    }

    /// <summary>
    /// Reads a whole token as one kind (SSML's say-as), or null when it is not one of that kind. Digits are read one
    /// by one whatever they are.
    /// </summary>
    public string? ReadAs(TokenKind kind, string token)
    {
        token = token.Trim();
        if (token.Length == 0)
        {
            return null;
        }
        if (kind == TokenKind.Digits)
        {
            return token.Any(char.IsAsciiDigit) ? NumberWords.Digits(token) : null;
        }
        var context = new ReadingContext(token, _options);
        foreach (ITokenReader reader in Readers)
        {
            if (reader.Kind == kind && reader.TryRead(context, 0, out TokenReading reading) && reading.Length == token.Length)
            {
                return reading.Spoken;
            }
        }
        return null;
    }

    private static bool TryRead(ReadingContext context, int position, out TokenReading reading)
    {
        foreach (ITokenReader reader in Readers)
        {
            if (reader.TryRead(context, position, out reading) && reading.Length > 0)
            {
                return true;
            }
        }
        reading = default;
        return false;
    }

    /// <summary>
    /// Inside a word or a number nothing starts; a token starts at the first letter or digit of one, at a digit after
    /// letters (MP3), and at any other character (symbols, signs, currency).
    /// </summary>
    private static bool MayStartToken(string text, int i)
    {
        if (i == 0)
        {
            return true;
        }
        char previous = text[i - 1], current = text[i];
        if (char.IsLetter(current))
        {
            return !char.IsLetterOrDigit(previous);
        }
        if (char.IsDigit(current))
        {
            return !char.IsDigit(previous) && previous != ',' && previous != '.';
        }
        return current is not (' ' or '\n');
    }

    /// <summary>
    /// Whether numbers joined by dashes go on past two (2026-13-45, a malformed date or a code): not a range.
    /// </summary>
    private static bool InChain(string text, int firstStart, int secondStart)
    {
        if (firstStart > 0 && text[firstStart - 1] is '-' or '–')
        {
            return true;
        }
        int i = secondStart;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or ','))
        {
            i++;
        }
        return i + 1 < text.Length && text[i] is '-' or '–' && char.IsAsciiDigit(text[i + 1]);
    }

    /// <summary>The length of a range's dash at a position followed by a number or an amount, else 0.</summary>
    private static int RangeDashLength(string text, int i)
    {
        int length = text[i] switch
        {
            '-' => 1,
            '–' or '—' => 1,
            ' ' when i + 2 < text.Length && text[i + 1] == '–' => text[i + 2] == ' ' ? 3 : 2,
            _ => 0,
        };
        if (length == 1 && text[i] != '-' && i + 1 < text.Length && text[i + 1] == ' ')
        {
            length = 2;
        }
        int next = i + length;
        return length > 0 && next < text.Length && (char.IsAsciiDigit(text[next]) || text[next] is '$' or '€' or '£' or '¥' or '.')
            ? length : 0;
    }
}
