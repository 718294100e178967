using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Telephone numbers, digit by digit with 1 said 幺 (as numbers are read out on the phone in Chinese, so that 一 is
/// not heard as 七) and 0 said 零, a pause (，) between the written groups: 138-0013-8000 → 幺三八，零零幺三，八零零零.
/// A mobile number written without separators is grouped 3-4-4 (13800138000); +86 is 加八六. Recognised: mobile
/// numbers (1[3-9] and nine more digits), landlines with an area code (010-12345678, (021) 6123 4567), 400/800
/// service numbers, and any run of three or more digits right after 电话, 手机, 号码, 拨打, 致电, 热线 or 呼叫 (and an
/// optional 是 or colon): 拨打110 → 拨打幺幺零. Without such a word: the five-digit service numbers of banks and
/// insurers (95588) anywhere; the emergency numbers 110, 119, 120 and 122 and the public hotlines (12345, 12306, 12315,
/// 10086) after a verb of calling (打, 拨, 报, 叫) or before a word of emergency or service (报警, 急救, 火警, 消防, 热线
/// ...): 110报警 → 幺幺零报警, 12345热线 → 幺二三四五热线; alone they are numbers. Digits followed by a unit or a
/// measure word are an amount, never a telephone number (13800000000元).
/// </summary>
public sealed partial class ChineseTelephoneReader : ITokenReader
{
    [GeneratedRegex(@"\G(?:(?<country>\+86)[\s-]?)?(?<a>1[3-9]\d)[\s-]?(?<b>\d{4})[\s-]?(?<c>\d{4})(?![0-9])")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"\G(?:(?<country>\+86)[\s-]?)?(?:\((?<a>0?\d{2,3})\)\s?|(?<a>0\d{2,3})[\s-])(?<b>\d{3,4})[\s-]?(?<c>\d{4})(?![0-9])")]
    private static partial Regex Landline();

    [GeneratedRegex(@"\G(?<a>[48]00)[\s-]?(?<b>\d{3})[\s-]?(?<c>\d{4})(?![0-9])")]
    private static partial Regex Service();

    [GeneratedRegex(@"\G(?<a>\d{3,})(?:[\s-](?<b>\d+))?(?:[\s-](?<c>\d+))?(?![0-9]|[.,]\d)")]
    private static partial Regex AfterKeyword();

    [GeneratedRegex(@"(?:电话|手机|号码|拨打|致电|热线|呼叫)(?:号码)?(?:是|为)?[:：]?\s?$")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"\G(?<a>95\d{3})(?![0-9]|[.,]\d)")]
    private static partial Regex ServiceHotline();

    [GeneratedRegex(@"\G(?<a>11[09]|12[02]|12306|12315|12345|12333|12320|12369|10086)(?![0-9]|[.,]\d)")]
    private static partial Regex EmergencyOrHotline();

    [GeneratedRegex(@"[打拨报叫]了?$")]
    private static partial Regex CallingVerb();

    private static readonly string[] s_emergencyWords =
        ["报警", "急救", "火警", "消防", "救护", "求助", "求救", "接警", "出警", "指挥中心", "巡警", "电话", "热线"];

    public TokenKind Kind => TokenKind.Telephone;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!(char.IsAsciiDigit(text[start]) || text[start] is '+' or '(') || (start > 0 && char.IsAsciiDigit(text[start - 1])))
        {
            return false;
        }
        Match match = Mobile().Match(text, start);
        if (!match.Success)
        {
            match = Landline().Match(text, start);
        }
        if (!match.Success)
        {
            match = Service().Match(text, start);
        }
        if (!match.Success && Keyword().IsMatch(text.AsSpan(Math.Max(0, start - 8), Math.Min(start, 8))))
        {
            match = AfterKeyword().Match(text, start);
        }
        if (!match.Success)
        {
            match = ServiceHotline().Match(text, start);
        }
        if (!match.Success && (match = EmergencyOrHotline().Match(text, start)).Success
            && !(CallingVerb().IsMatch(text.AsSpan(Math.Max(0, start - 2), Math.Min(start, 2)))
                || EmergencyWordFollows(text, start + match.Length)))
        {
            return false;
        }
        if (!match.Success || ChineseNumberWords.MeasureFollows(text, start + match.Length) || AmountFollows(text, start + match.Length))
        {
            return false;
        }
        var groups = new List<string>();
        if (match.Groups["country"].Success)
        {
            groups.Add("加" + ChineseNumberWords.Digits("86"));
        }
        foreach (string name in (string[])["a", "b", "c"])
        {
            if (match.Groups[name].Success)
            {
                groups.Add(ChineseNumberWords.Digits(match.Groups[name].Value, yao: true));
            }
        }
        reading = new TokenReading(match.Length, string.Join('，', groups), IsNumber: false);
        return true;
    }

    private static bool EmergencyWordFollows(string text, int end) =>
        s_emergencyWords.Any(word => string.CompareOrdinal(text, end, word, 0, word.Length) == 0);

    /// <summary>An amount goes on after its digits (13800000000多元, 95588%): not a telephone number.</summary>
    private static bool AmountFollows(string text, int end) =>
        end < text.Length && (text[end] is '多' or '余' or '来' or '%' or '％' or '‰' || (end + 1 < text.Length && text[end] == ' ' && ChineseNumberWords.MeasureFollows(text, end + 1)));
}
