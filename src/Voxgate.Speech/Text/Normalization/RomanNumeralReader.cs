using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Roman numerals where the words around them say they are numbers: after a monarch's or pope's name, the ordinal
/// with "the" (Henry VIII → Henry the eighth); after a word that numbers things (Chapter IV, World War II, Part III),
/// the cardinal (Super Bowl LVIII → Super Bowl fifty-eight); after a person's given name and surname, the ordinal
/// with "the" (John Smith III → John Smith the third, Martin Luther King III); after any other capitalised word,
/// only numerals of I, V and X of two letters or more, or with L of three letters or more (Rocky III → Rocky three,
/// WrestleMania XL stays: XL is a size), so that words and initials (I, DC, MIX, CD, LCD, CLI) stay words. The single
/// letter "I" is read as a numeral only after a numbering word, or after a monarch's name when punctuation or "of"
/// follows (Elizabeth I.).
/// </summary>
public sealed partial class RomanNumeralReader : ITokenReader
{
    private static readonly HashSet<string> s_numberingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "chapter", "part", "book", "volume", "act", "scene", "section", "article", "appendix", "psalm", "episode",
        "phase", "stage", "level", "war", "class", "type", "round", "canto", "series", "mark", "title", "schedule", "annex",
        "grade", "tier", "category", "unit", "lesson", "movement", "bowl", "wrestlemania", "olympiad",
    };

    /// <summary>Given names besides the monarchs' that a generational suffix follows (John Smith III).</summary>
    private static readonly HashSet<string> s_givenNames = new(StringComparer.Ordinal)
    {
        "Thomas", "Michael", "Daniel", "Christopher", "Andrew", "Matthew", "Anthony", "Donald", "Steven", "Kevin", "Brian",
        "Jonathan", "Samuel", "Benjamin", "Jacob", "Patrick", "Howard", "Walter", "Arthur", "Albert", "Ronald", "Kenneth",
        "Timothy", "Jeffrey", "Scott", "Eric", "Gary", "Larry", "Frank", "Raymond", "Harry", "Ralph", "Roy", "Lloyd",
        "Nelson", "Theodore", "Franklin", "Hugh", "Hunter", "Ted", "Bill", "Jim", "Bob", "Tom", "Joe", "Mike", "Andy",
    };

    private static readonly HashSet<string> s_regnalNames = new(StringComparer.Ordinal)
    {
        "Henry", "Edward", "George", "Elizabeth", "Louis", "Charles", "James", "William", "Richard", "John", "Paul", "Pius",
        "Leo", "Benedict", "Gregory", "Innocent", "Clement", "Alexander", "Peter", "Catherine", "Frederick", "Philip",
        "Ferdinand", "Napoleon", "Mary", "Victoria", "Anne", "Alfonso", "Carlos", "Juan", "Gustav", "Olaf", "Harald",
        "Christian", "Ramesses", "Ptolemy", "Constantine", "Justinian", "Otto", "Wilhelm", "Friedrich", "Franz", "Nicholas",
        "Ivan", "Rudolf", "Boniface", "Urban", "Sixtus", "Felipe", "Willem", "Haakon", "Rama", "Stephen", "Malcolm",
        "David", "Robert", "Duncan", "Kenneth", "Edmund", "Harold", "Matilda", "Margaret", "Isabella", "Joseph", "Leopold",
        "Maximilian", "Sigismund", "Casimir", "Sancho", "Afonso", "Manuel", "Pedro", "Umberto", "Vittorio", "Amadeus",
        "Selim", "Mehmed", "Suleiman", "Murad", "Thutmose", "Amenhotep", "Cyrus", "Darius", "Xerxes", "Antiochus",
        "Seleucus", "Hadrian", "Julius", "Adrian", "Celestine", "Martin", "Eugene", "Lucius", "Felix", "Honorius",
    };

    [GeneratedRegex(@"\G(?<numeral>[IVXLCDM]+)(?![\p{L}\p{N}'’])")]
    private static partial Regex Numeral();

    [GeneratedRegex(@"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")]
    private static partial Regex WellFormed();

    public TokenKind Kind => TokenKind.RomanNumeral;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (text[start] is not ('I' or 'V' or 'X' or 'L' or 'C' or 'D' or 'M') || (start > 0 && char.IsLetterOrDigit(text[start - 1])))
        {
            return false;
        }
        Match match = Numeral().Match(text, start);
        if (!match.Success || !WellFormed().IsMatch(match.Value) || context.PreviousWord(start) is not { } previous)
        {
            return false;
        }
        string numeral = match.Value;
        int value = Value(numeral);
        int end = start + match.Length;
        if (s_numberingWords.Contains(previous.Word) && (numeral != "I" || ReadingContext.IsCapitalised(previous.Word)))
        {
            reading = new TokenReading(match.Length, NumberWords.Cardinal(value));
            return true;
        }
        if (s_regnalNames.Contains(previous.Word))
        {
            bool alone = numeral != "I" || end == text.Length || text[end] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or '\'' or '’'
                || context.NextWord(end) is "of";
            if (alone)
            {
                reading = new TokenReading(match.Length, "the " + NumberWords.Ordinal(value));
                return true;
            }
            return false;
        }
        bool plain = numeral.All(c => c is 'I' or 'V' or 'X' or 'L') && (numeral.Contains('L') ? numeral.Length >= 3 : numeral.Length >= 2);
        if (plain && numeral.Length >= 2 && IsGenerationalSuffix(context, start))
        {
            reading = new TokenReading(match.Length, "the " + NumberWords.Ordinal(value));
            return true;
        }
        if (plain && ReadingContext.IsCapitalised(previous.Word) && !previous.Word.All(char.IsUpper))
        {
            reading = new TokenReading(match.Length, NumberWords.Cardinal(value));
            return true;
        }
        return false;
    }

    /// <summary>
    /// Whether a numeral follows a person's name: a surname after a given name (John Smith III), with perhaps a middle
    /// name between (Martin Luther King III).
    /// </summary>
    private static bool IsGenerationalSuffix(ReadingContext context, int start)
    {
        int position = start;
        for (int words = 0; words < 3; words++)
        {
            if (context.PreviousWord(position) is not { } word || !ReadingContext.IsCapitalised(word.Word) || word.Word.All(char.IsUpper))
            {
                return false;
            }
            position = context.Text.LastIndexOf(word.Word, position - 1, StringComparison.Ordinal);
            if (words > 0 && (s_regnalNames.Contains(word.Word) || s_givenNames.Contains(word.Word)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The value of a well-formed numeral.</summary>
    public static int Value(string numeral)
    {
        int total = 0;
        for (int i = 0; i < numeral.Length; i++)
        {
            int value = Digit(numeral[i]);
            total += i + 1 < numeral.Length && Digit(numeral[i + 1]) > value ? -value : value;
        }
        return total;
    }

    /// <summary>Whether a token is a well-formed Roman numeral.</summary>
    public static bool IsNumeral(string token) => token.Length > 0 && WellFormed().IsMatch(token);

    private static int Digit(char c) => c switch
    {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
}
