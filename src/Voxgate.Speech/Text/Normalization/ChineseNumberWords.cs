using System.Globalization;
using System.Text;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Numbers in Chinese characters, the vocabulary the Chinese readers share: cardinals grouped by 万 and 亿 with the 零
/// rules (10010 → 一万零一十), decimals (3.14 → 三点一四), digit strings (2024 → 二零二四; in telephone numbers 1 is
/// 幺), and the choice of 两 or 二.
/// </summary>
/// <remarks>
/// 两 or 二, as a careful reader uses them: 两 counts (两个, 两公斤, 两点 o'clock) and leads 千, 万 and 亿 (2000 → 两千,
/// 20000 → 两万, 22000 → 两万两千); 二 is the digit and everything else: alone (二), in tens and units (十二, 二十二),
/// before 百 (二百, the standard form), in ordinals (第二), months and days (二月二日), decimals (二点五) and digit strings.
/// </remarks>
public static class ChineseNumberWords
{
    private const string DigitCharacters = "零一二三四五六七八九";

    private static readonly string[] s_groupScales = ["", "万", "亿", "万亿"];

    private static readonly string[] s_placeUnits = ["", "十", "百", "千"];

    /// <summary>Longest whole number read as one (below 10^16, 万亿's range); longer ones are read digit by digit.</summary>
    public const int LongestCardinal = 16;

    /// <summary>"一万零一十", "两千零二十四", "负五"; 2 alone is "二".</summary>
    public static string Cardinal(long number)
    {
        if (number < 0)
        {
            return "负" + Cardinal(-number);
        }
        if (number == 0)
        {
            return "零";
        }
        var groups = new List<int>();
        for (long rest = number; rest > 0; rest /= 10_000)
        {
            groups.Add((int)(rest % 10_000));
        }
        var words = new StringBuilder();
        bool zeroPending = false;
        for (int g = groups.Count - 1; g >= 0; g--)
        {
            int group = groups[g];
            if (group == 0)
            {
                zeroPending = words.Length > 0;
                continue;
            }
            bool leading = words.Length == 0;
            if (!leading && (zeroPending || group < 1000))
            {
                words.Append('零');
            }
            // A whole group of 2 before 万 or 亿 is 两万, 两亿.
            words.Append(group == 2 && g > 0 ? "两" : Group(group, leading)).Append(s_groupScales[g]);
            zeroPending = false;
        }
        return words.ToString();
    }

    /// <summary>
    /// A count before a measure word: 2 is 两 (两个, 两公斤); every other number is its cardinal.
    /// </summary>
    public static string Count(long number) => number == 2 ? "两" : Cardinal(number);

    /// <summary>One group of four digits (1..9999): 一千零一, 一百一十, 十五 (a leading ten is 十, not 一十).</summary>
    private static string Group(int group, bool leading)
    {
        var words = new StringBuilder();
        bool started = false, zero = false;
        for (int place = 3; place >= 0; place--)
        {
            int digit = group / Pow10(place) % 10;
            if (digit == 0)
            {
                zero |= started;
                continue;
            }
            if (zero)
            {
                words.Append('零');
                zero = false;
            }
            if (!(place == 1 && digit == 1 && leading && !started))
            {
                words.Append(place == 3 && digit == 2 ? '两' : DigitCharacters[digit]);
            }
            words.Append(s_placeUnits[place]);
            started = true;
        }
        return words.ToString();
    }

    private static int Pow10(int place) => place switch { 0 => 1, 1 => 10, 2 => 100, _ => 1000 };

    /// <summary>Each digit in turn, 0 as 零: "二零二四"; with <paramref name="yao"/>, 1 is 幺 (telephone numbers).</summary>
    public static string Digits(ReadOnlySpan<char> digits, bool yao = false)
    {
        var words = new StringBuilder(digits.Length);
        foreach (char c in digits)
        {
            if (char.IsAsciiDigit(c))
            {
                words.Append(c == '1' && yao ? '幺' : DigitCharacters[c - '0']);
            }
        }
        return words.ToString();
    }

    /// <summary>
    /// A number as written ("1,234", "3.14", ".5", "007"): the cardinal, its decimals digit by digit after 点
    /// (0.5 → 零点五); a whole number with a leading zero, or too long, digit by digit. With <paramref name="counting"/>,
    /// a whole 2 is 两 (it counts something: 两个).
    /// </summary>
    public static string Number(string written, bool counting = false)
    {
        int dot = written.IndexOf('.');
        string whole = (dot < 0 ? written : written[..dot]).Replace(",", "", StringComparison.Ordinal);
        string? fraction = dot < 0 ? null : written[(dot + 1)..];
        string wholeWords = whole.Length == 0 ? "零"
            : whole.Length > LongestCardinal || (whole.Length > 1 && whole[0] == '0' && fraction is null) ? Digits(whole)
            : fraction is null && counting ? Count(long.Parse(whole, CultureInfo.InvariantCulture))
            : Cardinal(long.Parse(whole, CultureInfo.InvariantCulture));
        return fraction is null ? wholeWords : wholeWords + "点" + Digits(fraction);
    }

    /// <summary>
    /// Measure words and units that a number counts, so that 2 before them is 两: 两个, 两本, 两年 (a duration; a year
    /// is 二零二四年), 两小时, 两点 (o'clock), 两千, 两万. Months and days (二月, 二日, 二号) are not counts.
    /// </summary>
    private static readonly string[] s_measureWords =
    [
        "个月", "小时", "分钟", "星期", "公斤", "公里", "公分", "千米", "厘米", "毫米", "平方", "立方", "美元", "欧元", "英镑", "日元", "港元",
        "个", "本", "次", "天", "人", "位", "只", "件", "张", "条", "块", "口", "名", "家", "种", "双", "对", "辆", "台", "部", "首", "篇",
        "份", "杯", "瓶", "碗", "岁", "周", "倍", "间", "座", "棵", "匹", "头", "颗", "粒", "片", "节", "遍", "趟", "场", "届", "套", "所",
        "支", "根", "把", "枚", "架", "艘", "项", "道", "批", "群", "包", "盒", "箱", "袋", "斤", "升", "米", "吨", "克", "组", "句", "段",
        "章", "页", "年", "点", "秒", "元", "角", "毛", "千", "万", "亿", "分",
    ];

    /// <summary>
    /// Whether a measure word follows <paramref name="end"/>, also across a range (2-3个 → 两到三个): then 2 is 两.
    /// 分之 is a fraction (三分之二), not a count.
    /// </summary>
    public static bool MeasureFollows(string text, int end)
    {
        int i = end;
        if (i + 1 < text.Length && text[i] is '-' or '~' or '～' or '到' or '至' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }
        foreach (string word in s_measureWords)
        {
            if (string.CompareOrdinal(text, i, word, 0, word.Length) == 0)
            {
                return !(word == "分" && i + 1 < text.Length && text[i + 1] == '之');
            }
        }
        return false;
    }

    /// <summary>Whether a character is a Han ideograph (the readers let numbers stand right against them: 3个).</summary>
    public static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    /// <summary>
    /// Whether a number may begin at <paramref name="start"/>: a digit or a decimal point, or a sign (<c>-</c>, <c>−</c>,
    /// and <c>+</c> where <paramref name="plus"/>) that <see cref="MinusMayStand"/> lets stand.
    /// </summary>
    public static bool NumberMayStart(string text, int start, bool plus = false)
    {
        char first = text[start];
        return first is '-' or '−' || (plus && first == '+') ? MinusMayStand(text, start) : char.IsAsciiDigit(first) || first == '.';
    }

    /// <summary>
    /// Whether a minus may stand at <paramref name="start"/>: at the start, after a space, a bracket, CJK punctuation or
    /// a Han character (气温-5度); after a Latin letter or a digit it is a hyphen (COVID-19, 3-5).
    /// </summary>
    public static bool MinusMayStand(string text, int start) =>
        start == 0 || !(char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or ',' or '-' or '/');

    /// <summary>
    /// Whether one of <paramref name="words"/> is written near a token (<paramref name="start"/>..<paramref name="end"/>):
    /// within <paramref name="reach"/> characters before or after it, in the same clause (not past a comma). Readers that a token's
    /// form leaves in doubt decide by it (比分2:1 is a score, 上午10:30 a time).
    /// </summary>
    public static bool WordNear(string text, int start, int end, IReadOnlyList<string> words, int reach = 12)
    {
        int from = start;
        while (from > 0 && start - from < reach && !EndsClause(text[from - 1]))
        {
            from--;
        }
        int to = end;
        while (to < text.Length && to - end < reach && !EndsClause(text[to]))
        {
            to++;
        }
        ReadOnlySpan<char> before = text.AsSpan(from, start - from), after = text.AsSpan(end, to - end);
        foreach (string word in words)
        {
            if (before.Contains(word, StringComparison.Ordinal) || after.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool EndsClause(char c) => c is '。' or '！' or '？' or '；' or '，' or '!' or '?' or ';' or ',' or '\n';

    /// <summary>
    /// Whether <paramref name="start"/> is inside a written number group (after a digit, or after a digit and a colon or
    /// a point: the 30 of 8:30, the 5 of 3.5), where no time, score or race time starts. A colon after a word (时间:8:30)
    /// does not count.
    /// </summary>
    public static bool InsideNumberGroup(string text, int start) =>
        start > 0 && (char.IsAsciiDigit(text[start - 1])
            || (start > 1 && text[start - 1] is ':' or '：' or '.' && char.IsAsciiDigit(text[start - 2])));
}
