using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Dates: the year digit by digit, month and day as cardinals with 二 (2024年3月5日 → 二零二四年三月五日, 2月2号 →
/// 二月二号, 12月31日 → 十二月三十一日), and numeric dates, which are always year first in Chinese (2024-03-05,
/// 2024/3/5, 2024.03.05 → 二零二四年三月五日). Impossible dates are not dates (2024年2月30日, 2024-13-45).
/// </summary>
public sealed partial class ChineseDateReader : ITokenReader
{
    [GeneratedRegex(@"\G(?:(?<year>\d{4})年)?(?<month>\d{1,2})月(?:(?<day>\d{1,2})(?<daymark>[日号]))?")]
    private static partial Regex Written();

    [GeneratedRegex(@"\G(?<year>\d{4})(?<separator>[-/.])(?<month>\d{1,2})\k<separator>(?<day>\d{1,2})(?![0-9]|[-/.](?!\d{4}[-/.]\d)\d)")]
    private static partial Regex Numeric();

    public TokenKind Kind => TokenKind.Date;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || (start > 0 && char.IsAsciiDigit(text[start - 1])))
        {
            return false;
        }
        Match match = Numeric().Match(text, start);
        bool numeric = match.Success;
        if (!numeric)
        {
            match = Written().Match(text, start);
        }
        if (!match.Success || Spoken(match, numeric) is not string spoken)
        {
            return false;
        }
        int length = match.Length;
        // Two numeric dates joined by a dash are a range (2024.03.05-2024.03.07), which the pass does not join: to it a
        // dash before a third number makes a chain (2026-13-45).
        if (numeric && start + length + 1 < text.Length && text[start + length] is '-' or '–' or '~' or '～'
            && Numeric().Match(text, start + length + 1) is { Success: true } end && Spoken(end, numeric: true) is string endSpoken)
        {
            spoken += "到" + endSpoken;
            length += 1 + end.Length;
        }
        reading = new TokenReading(length, spoken); // a dash after it joins a range of dates: 3月5日-7日 → 三月五日到七日
        return true;
    }

    /// <summary>The date said, or null when it cannot be one (2024年2月30日, month 13).</summary>
    private static string? Spoken(Match match, bool numeric)
    {
        int? year = Value(match.Groups["year"]), day = Value(match.Groups["day"]);
        int month = Value(match.Groups["month"])!.Value;
        if (month is < 1 or > 12 || (day is int d && (d < 1 || d > DateTime.DaysInMonth(year is >= 1 ? year.Value : 2024, month))))
        {
            return null;
        }
        return (year is null ? "" : ChineseNumberWords.Digits(match.Groups["year"].Value) + "年")
            + ChineseNumberWords.Cardinal(month) + "月"
            + (day is int dd ? ChineseNumberWords.Cardinal(dd) + (numeric ? "日" : match.Groups["daymark"].Value) : "");
    }

    private static int? Value(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : null;
}
