using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Fractions, said denominator first: 3/4 → 四分之三, 1/2 → 二分之一, 2/3 → 三分之二, 1又1/2 → 一又二分之一, and the
/// Unicode fractions (½ → 二分之一, 1½ → 一又二分之一). The denominator is 2 or more; a slashed date with a year is a
/// date (2024/3/5, the date reader).
/// </summary>
public sealed partial class ChineseFractionReader : ITokenReader
{
    private static readonly Dictionary<char, (int Numerator, int Denominator)> s_vulgar = new()
    {
        ['½'] = (1, 2), ['⅓'] = (1, 3), ['⅔'] = (2, 3), ['¼'] = (1, 4), ['¾'] = (3, 4), ['⅕'] = (1, 5), ['⅖'] = (2, 5),
        ['⅗'] = (3, 5), ['⅘'] = (4, 5), ['⅙'] = (1, 6), ['⅚'] = (5, 6), ['⅛'] = (1, 8), ['⅜'] = (3, 8), ['⅝'] = (5, 8), ['⅞'] = (7, 8),
    };

    [GeneratedRegex(@"\G(?:(?<whole>\d{1,4})又)?(?<numerator>\d{1,6})/(?<denominator>\d{1,6})(?![0-9/]|[.,]\d)")]
    private static partial Regex Slashed();

    [GeneratedRegex(@"\G(?:(?<whole>\d{1,4})(?:又)?)?(?<vulgar>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])")]
    private static partial Regex Vulgar();

    public TokenKind Kind => TokenKind.Fraction;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (start > 0 && (char.IsAsciiDigit(text[start - 1]) || text[start - 1] is '/' or '.'))
        {
            return false;
        }
        Match match = Vulgar().Match(text, start);
        long numerator, denominator;
        if (match.Success)
        {
            (numerator, denominator) = s_vulgar[match.Groups["vulgar"].Value[0]];
        }
        else if ((match = Slashed().Match(text, start)).Success)
        {
            numerator = long.Parse(match.Groups["numerator"].Value, CultureInfo.InvariantCulture);
            denominator = long.Parse(match.Groups["denominator"].Value, CultureInfo.InvariantCulture);
            if (denominator < 2)
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        string whole = match.Groups["whole"].Success
            ? ChineseNumberWords.Cardinal(long.Parse(match.Groups["whole"].Value, CultureInfo.InvariantCulture)) + "又" : "";
        reading = new TokenReading(match.Length, whole + ChineseNumberWords.Cardinal(denominator) + "分之" + ChineseNumberWords.Cardinal(numerator));
        return true;
    }
}
