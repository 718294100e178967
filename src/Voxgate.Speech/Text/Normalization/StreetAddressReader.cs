using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// The parts of a street address that are not read as elsewhere: a house number of three or four digits before a
/// street's name is said in pairs (1600 Pennsylvania Avenue → "sixteen hundred Pennsylvania Avenue", 221 Baker
/// Street → "two twenty-one"); a compass point after a street's type or between a house number and a street's name is
/// a direction (Pennsylvania Ave NW → "northwest", 350 N Main St → "north"). A street's name is one to three
/// capitalised words or ordinals (5th) ending in a street type (Street, St., Avenue, Ave, Road, Boulevard ...).
/// </summary>
public sealed partial class StreetAddressReader : ITokenReader
{
    private static readonly HashSet<string> s_streetTypes = new(StringComparer.Ordinal)
    {
        "Street", "St", "Avenue", "Ave", "Av", "Road", "Rd", "Boulevard", "Blvd", "Drive", "Dr", "Lane", "Ln", "Way", "Place",
        "Pl", "Court", "Ct", "Terrace", "Ter", "Parkway", "Pkwy", "Highway", "Hwy", "Circle", "Cir", "Square", "Sq", "Trail",
        "Trl", "Plaza", "Alley", "Crescent", "Expressway", "Freeway", "Turnpike", "Pike",
    };

    private static readonly Dictionary<string, string> s_compassPoints = new(StringComparer.Ordinal)
    {
        ["N"] = "north", ["S"] = "south", ["E"] = "east", ["W"] = "west",
        ["NE"] = "northeast", ["NW"] = "northwest", ["SE"] = "southeast", ["SW"] = "southwest",
    };

    [GeneratedRegex(@"\G[1-9]\d{2,3}(?= [\p{Lu}\d])")]
    private static partial Regex HouseNumber();

    [GeneratedRegex(@"\G(?:NE|NW|SE|SW|N|S|E|W)(?<period>\.)?(?![\p{L}\p{N}'’&-])")]
    private static partial Regex CompassPoint();

    [GeneratedRegex(@"\G (?<word>[\p{Lu}][\p{L}'’]*|\d+(?:st|nd|rd|th))(?<period>\.)?(?![\p{L}\p{N}])")]
    private static partial Regex FollowingWord();

    public TokenKind Kind => TokenKind.StreetAddress;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '-' or '.' or '/' or ',' or '$'))
        {
            return false;
        }
        Match match;
        if (char.IsAsciiDigit(text[start]))
        {
            match = HouseNumber().Match(text, start);
            if (!match.Success || !StreetNameFollows(text, start + match.Length, allowCompassPoint: true))
            {
                return false;
            }
            reading = new TokenReading(match.Length, NumberWords.Pairs(match.Value), IsNumber: false);
            return true;
        }
        if (!char.IsAsciiLetterUpper(text[start]) || !(match = CompassPoint().Match(text, start)).Success)
        {
            return false;
        }
        string point = match.Value.TrimEnd('.');
        int end = start + match.Length;
        bool afterStreetType = context.WordBeforeAbbreviation(start) is { } before && s_streetTypes.Contains(before);
        bool afterHouseNumber = context.PreviousWord(start) is { } previous && previous.Word.All(char.IsAsciiDigit)
            && StreetNameFollows(text, end, allowCompassPoint: false);
        if (!afterStreetType && !afterHouseNumber)
        {
            return false;
        }
        bool keepPeriod = match.Groups["period"].Success && context.PeriodEndsSentence(end);
        reading = new TokenReading(match.Length, s_compassPoints[point] + (keepPeriod ? "." : ""), IsNumber: false);
        return true;
    }

    /// <summary>Whether a word is a compass point's abbreviation (N, SE ...), as written after a street's type.</summary>
    public static bool IsCompassPoint(string word) => s_compassPoints.ContainsKey(word);

    /// <summary>
    /// Whether a street's name follows <paramref name="position"/>: one to three capitalised words or ordinals, the
    /// last a street type, optionally after a compass point (1600 NW Main St).
    /// </summary>
    private static bool StreetNameFollows(string text, int position, bool allowCompassPoint)
    {
        int words = 0;
        while (words < 4)
        {
            Match word = FollowingWord().Match(text, position);
            if (!word.Success)
            {
                return false;
            }
            string value = word.Groups["word"].Value;
            if (words > 0 && s_streetTypes.Contains(value))
            {
                return true;
            }
            if (words == 0 && allowCompassPoint && s_compassPoints.ContainsKey(value))
            {
                position += word.Length;
                allowCompassPoint = false;
                continue;
            }
            if (word.Groups["period"].Success)
            {
                return false;
            }
            position += word.Length;
            words++;
        }
        return false;
    }
}
