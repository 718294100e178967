using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Amounts written with a currency sign or code: the amount as a number, then the currency's name: ¥12.5 → 十二点五元,
/// ¥2 → 两元, ¥3.5亿 → 三点五亿元, $100 → 一百美元, €20 → 二十欧元, £5 → 五英镑, HK$10 → 十港元, -¥5 → 负五元.
/// </summary>
/// <remarks>
/// Decimals are said with 点, as a news reader or a payment app says an amount (十二点五元), not in 元, 角 and 分
/// (十二元五角), which is the form of cheques and counters and would need rounding rules for more than two decimals;
/// trailing zeros after the point are not said (¥12.50 → 十二点五元, ¥12.00 → 十二元). An amount written with 元 after
/// it (12.5元) is read by the number reader alike.
/// </remarks>
public sealed partial class ChineseMoneyReader : ITokenReader
{
    private static readonly Dictionary<string, string> s_currencies = new(StringComparer.Ordinal)
    {
        ["¥"] = "元", ["￥"] = "元", ["RMB"] = "元", ["CNY"] = "元", ["$"] = "美元", ["US$"] = "美元", ["USD"] = "美元",
        ["€"] = "欧元", ["EUR"] = "欧元", ["£"] = "英镑", ["GBP"] = "英镑", ["HK$"] = "港元", ["HKD"] = "港元",
        ["NT$"] = "新台币", ["JP¥"] = "日元", ["JPY"] = "日元", ["₩"] = "韩元", ["₹"] = "卢比",
    };

    private static readonly Regex s_amount = new(
        @"\G(?<minus>[-−])?(?<currency>" + string.Join('|', s_currencies.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape))
        + @")\s?(?<number>" + Patterns.Number + @")(?<scale>万亿|千万|百万|万|亿)?(?![0-9]|[.,]\d)",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public TokenKind Kind => TokenKind.Money;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (text[start] is '-' or '−' && !ChineseNumberWords.MinusMayStand(text, start) || (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1])))
        {
            return false;
        }
        Match match = s_amount.Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        string number = match.Groups["number"].Value;
        if (number.Contains('.'))
        {
            number = number.TrimEnd('0').TrimEnd('.');
        }
        string scale = match.Groups["scale"].Value;
        string amount = ChineseNumberWords.Number(number, counting: true);
        reading = new TokenReading(match.Length,
            (match.Groups["minus"].Success ? "负" : "") + amount + scale + s_currencies[match.Groups["currency"].Value]);
        return true;
    }
}
