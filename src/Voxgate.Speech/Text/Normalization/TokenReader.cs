namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// The kinds of written token the English front-end reads. SSML's <c>say-as interpret-as</c> names map onto them
/// (<see cref="EnglishFrontEnd.ReadAs"/>): cardinal, ordinal, digits, date, time, telephone, currency (money),
/// fraction, unit.
/// </summary>
public enum TokenKind
{
    Url,
    Abbreviation,
    RomanNumeral,
    Money,
    Telephone,
    StreetAddress,
    Identifier,
    Date,
    Time,
    Percent,
    Dimension,
    Unit,
    Fraction,
    Year,
    Ordinal,
    Cardinal,
    Digits,
    Symbol,
}

/// <summary>What a reader read: <see cref="Length"/> characters of the source, said as <see cref="Spoken"/>.</summary>
/// <param name="IsNumber">A quantity: a dash right after it and before another number is read "to" (a range: 10-12).</param>
public readonly record struct TokenReading(int Length, string Spoken, bool IsNumber = true);

/// <summary>
/// Reads one kind of token. The front-end offers each reader, in order, every position where a token may start; the
/// first that reads one wins. A reader is given the whole text, so that it can look at the words around the token
/// (St. is Saint before a name and Street after one), and reads only at the position it is given.
/// </summary>
public interface ITokenReader
{
    TokenKind Kind { get; }

    bool TryRead(ReadingContext context, int start, out TokenReading reading);
}

/// <summary>How numeric dates (03/05/2024) are ordered when both readings are possible.</summary>
public enum NumericDateOrder
{
    /// <summary>US: month, day, year; read "March fifth, twenty twenty-four".</summary>
    MonthDayYear,

    /// <summary>UK and most of the world: day, month, year; read "the third of May, twenty twenty-four".</summary>
    DayMonthYear,
}

/// <summary>Reading choices a deployment can make (configuration section <c>Voxgate:Text</c>).</summary>
public sealed record EnglishReadingOptions(NumericDateOrder DateOrder = NumericDateOrder.MonthDayYear)
{
    public static EnglishReadingOptions Default { get; } = new();
}

/// <summary>The text being read and what readers need to know about the words around a token.</summary>
public sealed class ReadingContext(string text, EnglishReadingOptions options)
{
    public string Text { get; } = text;

    public EnglishReadingOptions Options { get; } = options;

    /// <summary>
    /// The word just before <paramref name="start"/>, separated from it by spaces only (not by punctuation), and
    /// whether that word begins a sentence (so its capital says nothing about it being a name).
    /// </summary>
    public (string Word, bool StartsSentence)? PreviousWord(int start)
    {
        int end = start;
        while (end > 0 && Text[end - 1] == ' ')
        {
            end--;
        }
        if (end == start || end == 0 || !char.IsLetterOrDigit(Text[end - 1]))
        {
            return null;
        }
        int begin = end;
        while (begin > 0 && (char.IsLetterOrDigit(Text[begin - 1]) || Text[begin - 1] is '\'' or '’'))
        {
            begin--;
        }
        return (Text[begin..end], IsSentenceStart(begin));
    }

    /// <summary>
    /// The word of letters and digits before <paramref name="start"/> across spaces and an abbreviation's period
    /// (Apt. 305, Ave. NW), or null; unlike <see cref="PreviousWord"/>, the period does not part them.
    /// </summary>
    public string? WordBeforeAbbreviation(int start)
    {
        int end = start;
        while (end > 0 && Text[end - 1] == ' ')
        {
            end--;
        }
        if (end == start || end == 0)
        {
            return null;
        }
        if (Text[end - 1] == '.')
        {
            end--;
        }
        int begin = end;
        while (begin > 0 && char.IsAsciiLetterOrDigit(Text[begin - 1]))
        {
            begin--;
        }
        return begin < end ? Text[begin..end] : null;
    }

    /// <summary>The word just after <paramref name="end"/>, separated from it by spaces only.</summary>
    public string? NextWord(int end)
    {
        int begin = end;
        while (begin < Text.Length && Text[begin] == ' ')
        {
            begin++;
        }
        if (begin == end || begin == Text.Length || !char.IsLetterOrDigit(Text[begin]))
        {
            return null;
        }
        int stop = begin;
        while (stop < Text.Length && (char.IsLetterOrDigit(Text[stop]) || Text[stop] is '\'' or '’'))
        {
            stop++;
        }
        return Text[begin..stop];
    }

    /// <summary>Whether a position begins a sentence: the text's start, a line's, or after . ! ? and a space.</summary>
    public bool IsSentenceStart(int position)
    {
        int i = position;
        while (i > 0 && Text[i - 1] is ' ' or '"' or '“' or '(' or '\'')
        {
            i--;
        }
        return i == 0 || Text[i - 1] is '\n' or '.' or '!' or '?' or ':';
    }

    /// <summary>
    /// Whether the period just before <paramref name="afterPeriod"/> also ends the sentence: the text ends, a line
    /// ends, or a capital follows. Readers that take an abbreviation's period ("etc.", "p.m.") keep it then.
    /// </summary>
    public bool PeriodEndsSentence(int afterPeriod)
    {
        if (afterPeriod >= Text.Length || Text[afterPeriod] == '\n')
        {
            return true;
        }
        if (Text[afterPeriod] != ' ')
        {
            return false;
        }
        int i = afterPeriod;
        while (i < Text.Length && Text[i] == ' ')
        {
            i++;
        }
        return i == Text.Length || char.IsUpper(Text[i]) || Text[i] == '\n';
    }

    private static readonly HashSet<string> s_notNouns = new(StringComparer.Ordinal)
    {
        "of", "in", "on", "at", "to", "for", "and", "or", "is", "are", "was", "were", "per", "each", "a", "an", "the", "from",
        "by", "with", "than", "more", "less", "will", "would", "can", "could", "has", "have", "had", "that", "which",
    };

    /// <summary>
    /// Whether a quantity stands before a noun as an adjective ("a 12 V battery", "the $100 bill"): after an article
    /// and before a lowercase word that is not a preposition, a conjunction or a common verb. Its unit is then
    /// singular ("a twelve volt battery").
    /// </summary>
    public bool IsAttributive(int start, int end) =>
        PreviousWord(start) is { } previous && previous.Word.ToLowerInvariant() is "a" or "an" or "the"
        && NextWord(end) is { } next && char.IsLower(next[0]) && !s_notNouns.Contains(next);

    public static bool IsCapitalised(string word) => word.Length > 0 && char.IsUpper(word[0]);
}
