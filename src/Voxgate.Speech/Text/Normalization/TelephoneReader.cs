using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Telephone numbers, digit by digit in their written groups with a pause (a comma) between groups, and zero as
/// "oh", as numbers are read out in English: 555-0142 → "five five five, oh one four two". A leading + is "plus";
/// an area code written as a round hundred is said so (1-800-555-0199 → "one, eight hundred, five five five, oh one
/// nine nine"), and so is a last group of a round thousand (555-1000 → "five five five, one thousand").
/// Recognised shapes: North American (555-0142, 555-123-4567, (555) 123-4567, 1-800-555-0199, 555.123.4567) and
/// international with a + (+44 20 7946 0958, +1 (555) 123-4567) of 7 to 15 digits, and British national numbers
/// of 10 or 11 digits starting with 0 in their written groups (020 7946 0958, 0161 496 0000, 07700 900123).
/// </summary>
public sealed partial class TelephoneReader : ITokenReader
{
    /// <summary>Seven digits (555-0142): the exchange never starts with 0 or 1, which keeps ranges (100-1000) apart.</summary>
    [GeneratedRegex(@"\G[2-9]\d{2}[.-]\d{4}(?![\p{L}\p{N}]|[.-]\d)")]
    private static partial Regex SevenDigits();

    [GeneratedRegex(@"\G(?:1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\p{L}\p{N}]|[.-]\d)")]
    private static partial Regex WithAreaCode();

    [GeneratedRegex(@"\G\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){1,6}(?![\p{L}\p{N}]|[.-]\d)")]
    private static partial Regex International();

    [GeneratedRegex(@"\G(?:0\d{2,4}[ -]\d{3,4}(?:[ -]\d{3,4})?|0\d{4} \d{6})(?![\p{L}\p{N}]|[.-]\d)")]
    private static partial Regex BritishNational();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Group();

    public TokenKind Kind => TokenKind.Telephone;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        if (!(char.IsAsciiDigit(first) || first is '(' or '+') || (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '-' or '/' or '.')))
        {
            return false;
        }
        Match match = first == '+' ? International().Match(text, start) : WithAreaCode().Match(text, start);
        if (!match.Success && first != '+')
        {
            match = SevenDigits().Match(text, start);
        }
        if (!match.Success && first == '0')
        {
            match = BritishNational().Match(text, start);
            if (match.Success && match.Value.Count(char.IsAsciiDigit) is < 10 or > 11)
            {
                return false;
            }
        }
        if (!match.Success)
        {
            return false;
        }
        int digits = match.Value.Count(char.IsAsciiDigit);
        if (digits is < 7 or > 15)
        {
            return false;
        }
        reading = new TokenReading(match.Length, Say(match.Value), IsNumber: false);
        return true;
    }

    /// <summary>A number read group by group.</summary>
    public static string Say(string written)
    {
        MatchCollection groups = Group().Matches(written);
        var spoken = new List<string>(groups.Count);
        for (int i = 0; i < groups.Count; i++)
        {
            string group = groups[i].Value;
            bool last = i == groups.Count - 1;
            bool areaCode = !last && group.Length == 3 && group[0] != '0' && group.EndsWith("00", StringComparison.Ordinal)
                && (!written.StartsWith('+') || written.StartsWith("+1", StringComparison.Ordinal)); // North American area codes
            if (areaCode)
            {
                spoken.Add(NumberWords.Cardinal(group[0] - '0') + " hundred");
            }
            else if (last && group.Length == 4 && group[0] != '0' && group.EndsWith("000", StringComparison.Ordinal))
            {
                spoken.Add(NumberWords.Cardinal(group[0] - '0') + " thousand");
            }
            else
            {
                spoken.Add(NumberWords.Digits(group, oh: true));
            }
        }
        return (written.StartsWith('+') ? "plus " : "") + string.Join(", ", spoken);
    }
}
