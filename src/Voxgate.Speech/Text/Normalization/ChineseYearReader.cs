using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Years, digit by digit: 2024年 → 二零二四年, 1998年 → 一九九八年, and the first year of a range of years (1990-1995年 →
/// 一九九零到一九九五年). Generations by decade likewise: 80后 → 八零后, 00后 → 零零后. A year needs four digits:
/// 2年 is a duration (两年, the number reader), and so is 100年. A year of the 1900s or 2000s before 赛季, 财年, 年度, 学年,
/// 款, 届 or 级 names a season, a model or a class, digit by digit too (2023-2024赛季 → 二零二三到二零二四赛季,
/// 2023/24赛季 → 二零二三到二四赛季, 2024款 → 二零二四款), but not after 第 (第2000届 is an ordinal).
/// </summary>
public sealed partial class ChineseYearReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<digits>\d{4})(?:年|(?=(?:-|~|～|到|至)\d{4}年))")]
    private static partial Regex Year();

    /// <summary>A year of the 1900s or 2000s naming a season, a model or a class: 2023-2024赛季 and 2023/24赛季 (read whole:
    /// a slash is no fraction here), 2024款, 2024届.</summary>
    [GeneratedRegex(@"\G(?<digits>(?:19|20)\d{2})(?:[-~～/到至](?<second>(?:19|20)?\d{2}))?(?=赛季|财年|年度|学年|款|届|级)")]
    private static partial Regex NamingYear();

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
        if (!match.Success && (start == 0 || text[start - 1] != '第'))
        {
            match = NamingYear().Match(text, start);
        }
        if (!match.Success)
        {
            match = Generation().Match(text, start);
        }
        if (!match.Success)
        {
            return false;
        }
        if (match.Groups["second"].Success)
        {
            reading = new TokenReading(match.Length,
                ChineseNumberWords.Digits(match.Groups["digits"].Value) + "到" + ChineseNumberWords.Digits(match.Groups["second"].Value));
            return true;
        }
        string digits = match.Groups["digits"].Value;
        reading = new TokenReading(match.Length, ChineseNumberWords.Digits(digits) + text[(start + digits.Length)..(start + match.Length)]);
        return true;
    }
}
