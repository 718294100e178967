using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Scores and ratios written with a colon, said with 比: 以3:2战胜 → 以三比二战胜, 比分2:1 → 比分二比一, 1:1000的比例尺 →
/// 一比一千, 16:9 → 十六比九, 110:98 → 一百一十比九十八, and always with the ratio sign ∶ (以3∶2获胜, 10∶30); 3比2 is
/// read alike by the number reader: 三比二.
/// </summary>
/// <remarks>
/// A colon between numbers is a clock time or a score, and the form decides first: what cannot be a time (the second
/// number not of two digits, the first above 24, the second 60 or more) is a score or a ratio. What can be both
/// (10:30, 2:10) is a time unless the sentence speaks of a game and not of a time: a score only with a word of
/// winning, losing or scoring near it in the same clause (比分, 战胜, 击败, 领先, 落后 ...) and no word of the clock
/// (上午, 下午, 点, 时间, 开始 ...), which wins when both are there (比分落后时于19:30开始 is a time).
/// </remarks>
public sealed partial class ChineseScoreReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<a>\d{1,3})(?<sign>[:：∶])(?<b>\d{1,6})(?![0-9]|[:：.]\d)")]
    private static partial Regex Colon();

    /// <summary>Words of a game's result; single characters (队, 胜, 球) say too little: 红队于10:30集合 is a time.</summary>
    private static readonly string[] s_gameWords =
    [
        "比分", "战胜", "击败", "打败", "负于", "输给", "不敌", "领先", "落后", "险胜", "取胜", "获胜", "战平", "打平", "逆转", "扳平",
        "胜出", "告负", "战成", "比赛结果",
    ];

    private static readonly string[] s_clockWords =
    [
        "上午", "下午", "中午", "晚上", "早上", "凌晨", "傍晚", "夜间", "今晚", "明早", "时间", "时许", "时至", "几点", "点", "开始",
        "开赛", "开球", "开幕", "开播", "截至", "截止", "出发", "到达", "抵达", "起飞", "发车", "营业", "首班", "末班",
    ];

    public TokenKind Kind => TokenKind.Cardinal;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || ChineseNumberWords.InsideNumberGroup(text, start))
        {
            return false;
        }
        Match match = Colon().Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        string b = match.Groups["b"].Value;
        int first = int.Parse(match.Groups["a"].Value, CultureInfo.InvariantCulture), second = int.Parse(b, CultureInfo.InvariantCulture);
        // ∶ (U+2236, the ratio sign of Chinese typesetting: 3∶2) is never a clock's colon.
        bool mayBeTime = match.Groups["sign"].Value != "∶" && b.Length == 2 && first <= 24 && second < 60;
        if (mayBeTime && (!ChineseNumberWords.WordNear(text, start, start + match.Length, s_gameWords)
            || ChineseNumberWords.WordNear(text, start, start + match.Length, s_clockWords)))
        {
            return false;
        }
        reading = new TokenReading(match.Length, ChineseNumberWords.Number(match.Groups["a"].Value) + "比" + ChineseNumberWords.Number(b), IsNumber: false);
        return true;
    }
}
