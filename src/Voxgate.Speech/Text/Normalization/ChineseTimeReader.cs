using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Clock times: 8:30 → 八点三十分, 8:05 → 八点零五分, 8:00 → 八点, 2:00 → 两点 (an hour is counted), 0:30 → 零点三十分,
/// 14:30:15 → 十四点三十分十五秒 (zero seconds are not said). Times join into ranges (8:00-9:30 → 八点到九点三十分).
/// </summary>
public sealed partial class ChineseTimeReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<hours>\d{1,2})[:：](?<minutes>\d{2})(?:[:：](?<seconds>\d{2}))?(?![0-9]|[:：.]\d)")]
    private static partial Regex Clock();

    public TokenKind Kind => TokenKind.Time;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || ChineseNumberWords.InsideNumberGroup(text, start))
        {
            return false;
        }
        Match match = Clock().Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        int hours = Parse(match.Groups["hours"]), minutes = Parse(match.Groups["minutes"]), seconds = Parse(match.Groups["seconds"]);
        if (hours > 24 || minutes > 59 || seconds > 59 || (hours == 24 && minutes + seconds > 0))
        {
            return false;
        }
        string spoken = ChineseNumberWords.Count(hours) + "点"
            + (minutes == 0 ? (seconds > 0 ? "零分" : "") : (minutes < 10 ? "零" : "") + ChineseNumberWords.Cardinal(minutes) + "分")
            + (seconds == 0 ? "" : (seconds < 10 ? "零" : "") + ChineseNumberWords.Cardinal(seconds) + "秒");
        reading = new TokenReading(match.Length, spoken);
        return true;
    }

    private static int Parse(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
}
