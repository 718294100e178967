using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Fractions: 3/4 → "three quarters", 1/2 → "one half", 2/3 → "two thirds", 1 1/2 → "one and a half", and the
/// Unicode fractions (½, ¾). Two numbers around a slash are a fraction only when the denominator is 2..100;
/// 24/7 is "twenty-four seven" and 50/50 "fifty-fifty", as said. A slashed date with a year is a date (DateReader).
/// </summary>
public sealed partial class FractionReader : ITokenReader
{
    private static readonly Dictionary<char, (int Numerator, int Denominator)> s_vulgar = new()
    {
        ['½'] = (1, 2), ['⅓'] = (1, 3), ['⅔'] = (2, 3), ['¼'] = (1, 4), ['¾'] = (3, 4), ['⅕'] = (1, 5), ['⅖'] = (2, 5),
        ['⅗'] = (3, 5), ['⅘'] = (4, 5), ['⅙'] = (1, 6), ['⅚'] = (5, 6), ['⅛'] = (1, 8), ['⅜'] = (3, 8), ['⅝'] = (5, 8), ['⅞'] = (7, 8),
    };

    [GeneratedRegex(@"\G(?:(?<whole>\d{1,2})\s)?(?<numerator>\d{1,3})/(?<denominator>\d{1,3})(?![\p{L}\p{N}/]|[.,]\d)")]
    private static partial Regex Slashed();

    [GeneratedRegex(@"\G(?:(?<whole>\d{1,2})\s?)?(?<vulgar>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])")]
    private static partial Regex Vulgar();

    public TokenKind Kind => TokenKind.Fraction;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '/' or '.'))
        {
            return false;
        }
        Match match = Vulgar().Match(text, start);
        int numerator, denominator;
        if (match.Success)
        {
            (numerator, denominator) = s_vulgar[match.Groups["vulgar"].Value[0]];
        }
        else if ((match = Slashed().Match(text, start)).Success)
        {
            numerator = int.Parse(match.Groups["numerator"].Value, CultureInfo.InvariantCulture);
            denominator = int.Parse(match.Groups["denominator"].Value, CultureInfo.InvariantCulture);
            if (match.Value is "24/7" or "50/50")
            {
                reading = new TokenReading(match.Length, match.Value == "24/7" ? "twenty-four seven" : "fifty-fifty");
                return true;
            }
            if (denominator is < 2 or > 100)
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        long? whole = match.Groups["whole"].Success ? long.Parse(match.Groups["whole"].Value, CultureInfo.InvariantCulture) : null;
        reading = new TokenReading(match.Length, Say(whole, numerator, denominator));
        return true;
    }

    /// <summary>"three quarters"; with a whole part, "two and a half", "one and three quarters".</summary>
    public static string Say(long? whole, long numerator, long denominator)
    {
        string fraction = $"{(whole is not null && numerator == 1 ? "a" : NumberWords.Cardinal(numerator))} {NumberWords.Denominator(denominator, numerator != 1)}";
        return whole is { } w ? $"{NumberWords.Cardinal(w)} and {fraction}" : fraction;
    }
}
