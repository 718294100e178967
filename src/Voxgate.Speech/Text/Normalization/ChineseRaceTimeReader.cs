using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Times taken (a race, a record), as a sports reader says them: hundredths after 秒 digit by digit (9秒58 → 九秒五八,
/// 1分9秒05 → 一分九秒零五), minutes and seconds with decimals (3:45.12 → 三分四十五秒一二; no clock has decimals),
/// the prime marks of results tables (1'23"45 → 一分二十三秒四五), and hours, minutes and seconds in a sentence about a
/// race or a time taken (马拉松, 成绩, 用时, 纪录 ...: 2:01:09 → 两小时零一分零九秒; elsewhere 2:01:09 is a clock time).
/// 3分15秒 is read by the number reader as written (三分十五秒).
/// </summary>
public sealed partial class ChineseRaceTimeReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<seconds>\d{1,2})秒(?<fraction>\d{1,3})(?![0-9]|[.,]\d)")]
    private static partial Regex AfterSeconds();

    [GeneratedRegex(@"\G(?:(?<hours>\d{1,2})[:：])?(?<minutes>\d{1,2})[:：](?<seconds>\d{2})(?:\.(?<fraction>\d{1,3}))?(?![0-9]|[:：.]\d)")]
    private static partial Regex Colons();

    [GeneratedRegex(@"\G(?<minutes>\d{1,2})['′](?<seconds>\d{2})(?:[""″](?<fraction>\d{1,3})?)?(?![0-9]|[.,]\d)")]
    private static partial Regex Primes();

    private static readonly string[] s_raceWords =
    [
        "马拉松", "成绩", "用时", "耗时", "历时", "时长", "跑出", "游出", "滑出", "完赛", "完成", "纪录", "夺冠", "冠军", "全程", "半程",
        "计时", "秒表", "比赛", "决赛", "预赛", "赛跑", "长跑", "越野", "骑行", "铁人三项",
    ];

    public TokenKind Kind => TokenKind.Time;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || ChineseNumberWords.InsideNumberGroup(text, start))
        {
            return false;
        }
        Match match = AfterSeconds().Match(text, start);
        if (match.Success && !ChineseNumberWords.MeasureFollows(text, start + match.Length)) // 每30秒10次 counts
        {
            reading = new TokenReading(match.Length, Taken(null, null, match));
            return true;
        }
        if ((match = Primes().Match(text, start)).Success)
        {
            reading = new TokenReading(match.Length, Taken(null, match.Groups["minutes"], match));
            return true;
        }
        match = Colons().Match(text, start);
        if (!match.Success || Value(match.Groups["seconds"]) > 59
            || (match.Groups["hours"].Success && Value(match.Groups["minutes"]) > 59))
        {
            return false;
        }
        // Without decimals, m:ss is a clock time and h:mm:ss one too unless the sentence is about a time taken.
        bool decimals = match.Groups["fraction"].Success;
        if (!decimals && !(match.Groups["hours"].Success && ChineseNumberWords.WordNear(text, start, start + match.Length, s_raceWords)))
        {
            return false;
        }
        reading = new TokenReading(match.Length, Taken(match.Groups["hours"], match.Groups["minutes"], match));
        return true;
    }

    /// <summary>
    /// 两小时零一分零九秒: the leading unit a count (两), the ones after it with 零 below ten; a zero part is not said
    /// (2:00:35 → 两小时零三十五秒, 2:05:00 → 两小时零五分); hundredths digit by digit after 秒.
    /// </summary>
    private static string Taken(Group? hours, Group? minutes, Match match)
    {
        var words = new System.Text.StringBuilder();
        Group fraction = match.Groups["fraction"];
        int?[] parts = [hours is { Success: true } ? Value(hours) : null, minutes is { Success: true } ? Value(minutes) : null, Value(match.Groups["seconds"])];
        string[] units = ["小时", "分", "秒"];
        bool zero = false;
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is not int value)
            {
                continue;
            }
            bool last = i == parts.Length - 1;
            if (words.Length > 0 && value == 0 && !(last && fraction.Success))
            {
                zero = true;
                continue;
            }
            if (words.Length == 0)
            {
                words.Append(ChineseNumberWords.Count(value));
            }
            else
            {
                words.Append(value == 0 ? "零" : (zero || value < 10 ? "零" : "") + ChineseNumberWords.Cardinal(value));
                zero = false;
            }
            words.Append(units[i]);
        }
        if (fraction.Success)
        {
            words.Append(ChineseNumberWords.Digits(fraction.Value));
        }
        return words.ToString();
    }

    private static int Value(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);
}
