namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// The one pass every language's front-end makes over a text (<see cref="EnglishFrontEnd"/>, <see cref="ChineseFrontEnd"/>):
/// at each place a token can start, the readers are offered it in order, and the first that reads a token there wins;
/// its words replace the token, and the pass goes on after it. Where none reads, the character is kept. A dash right
/// after a number and before another is a range, said with the language's word for it; a chain of three or more
/// numbers (2026-13-45) is not a range.
/// </summary>
/// <param name="readers">Offered each position in this order: the most specific first.</param>
/// <param name="rangeWord">The words a range's dash is said as, given the context and where the first number starts.</param>
/// <param name="rangeDashes">Characters that join the ends of a range besides the hyphen and the en and em dashes.</param>
/// <param name="keepApart">Whether read words are kept apart from letters and digits by a space (English words are;
/// Chinese has no spaces between words).</param>
public sealed class TokenPass(IReadOnlyList<ITokenReader> readers, Func<ReadingContext, int, string> rangeWord, string rangeDashes = "", bool keepApart = true)
{
    public IReadOnlyList<ITokenReader> Readers => readers;

    /// <summary>The text as spoken, and where each rewritten stretch came from.</summary>
    public (string Spoken, TextAlignment Alignment) Read(ReadingContext context)
    {
        string text = context.Text;
        var spoken = new SpokenTextBuilder(text.Length + text.Length / 4);
        int copiedFrom = 0;
        int lastNumberStart = -1, lastNumberEnd = -1;
        int i = 0;
        while (i < text.Length)
        {
            if (i == lastNumberEnd && RangeDashLength(text, i) is int dash and > 0 && !InChain(text, lastNumberStart, i + dash))
            {
                spoken.Copy(text, copiedFrom, i - copiedFrom);
                spoken.Replace(i, dash, rangeWord(context, lastNumberStart), keepApart);
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
                spoken.Replace(i, reading.Length, reading.Spoken, keepApart);
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
    /// Reads a whole token as one kind (SSML's say-as), or null when it is not one of that kind or no reader of that
    /// kind reads all of it.
    /// </summary>
    public string? ReadAs(ReadingContext context, TokenKind kind)
    {
        foreach (ITokenReader reader in readers)
        {
            if (reader.Kind == kind && reader.TryRead(context, 0, out TokenReading reading) && reading.Length == context.Text.Length)
            {
                return reading.Spoken;
            }
        }
        return null;
    }

    private bool TryRead(ReadingContext context, int position, out TokenReading reading)
    {
        foreach (ITokenReader reader in readers)
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
    /// letters (MP3), at a change between Han characters and other letters (车费HK$10: Chinese has no spaces between
    /// words), and at any other character (symbols, signs, currency).
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
            return !char.IsLetterOrDigit(previous) || ChineseNumberWords.IsHan(previous) != ChineseNumberWords.IsHan(current);
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
    private bool InChain(string text, int firstStart, int secondStart)
    {
        if (firstStart > 0 && IsDash(text[firstStart - 1]))
        {
            return true;
        }
        int i = secondStart;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or ','))
        {
            i++;
        }
        return i + 1 < text.Length && IsDash(text[i]) && char.IsAsciiDigit(text[i + 1]);
    }

    private bool IsDash(char c) => c is '-' or '–' || rangeDashes.Contains(c);

    /// <summary>The length of a range's dash at a position followed by a number or an amount, else 0.</summary>
    private int RangeDashLength(string text, int i)
    {
        int length = text[i] switch
        {
            '-' => 1,
            '–' or '—' => 1,
            ' ' when i + 2 < text.Length && text[i + 1] == '–' => text[i + 2] == ' ' ? 3 : 2,
            char c when rangeDashes.Contains(c) => 1,
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
