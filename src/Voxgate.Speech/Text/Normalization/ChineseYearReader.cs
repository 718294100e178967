using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Years, digit by digit: 2024年 → 二零二四年, 1998年 → 一九九八年, and the first year of a range of years (1990-1995年 →
/// 一九九零到一九九五年). Generations by decade likewise: 80后 → 八零后, 00后 → 零零后. A year needs four digits:
/// 2年 is a duration (两年, the number reader), and so is 100年.
/// </summary>
public sealed partial class ChineseYearReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<digits>\d{4})(?:年|(?=(?:-|~|～|到|至)\d{4}年))")]
    private static partial Regex Year();

    [GeneratedRegex(@"\G(?<digits>\d0)后")]
    private static partial Regex Generation();

    public TokenKind Kind => TokenKind.Year;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || (start > 0 && char.IsAsciiDigit(text[start - 1])))
        {
            return false;
        }
        Match match = Year().Match(text, start);
        if (!match.Success)
        {
            match = Generation().Match(text, start);
        }
        if (!match.Success)
        {
            return false;
        }
        string digits = match.Groups["digits"].Value;
        reading = new TokenReading(match.Length, ChineseNumberWords.Digits(digits) + text[(start + digits.Length)..(start + match.Length)]);
        return true;
    }
}
