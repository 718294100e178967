using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Measurements written with a unit symbol, the unit in Chinese after the number: 5kg → 五公斤, 2km → 两公里 (a count:
/// 两), 100 km/h → 一百公里每小时, 30°C → 三十摄氏度, -5℃ → 零下五摄氏度 (below zero, as temperatures are said), 50m² →
/// 五十平方米, 5-10kg → 五到十公斤. A symbol is a unit only as written (case matters) and when no Latin letter follows;
/// after a Latin word (iPhone 5s) it is not.
/// </summary>
public sealed partial class ChineseUnitReader : ITokenReader
{
    private static readonly Dictionary<string, string> s_units = new(StringComparer.Ordinal)
    {
        ["km/h"] = "公里每小时", ["m/s"] = "米每秒", ["km²"] = "平方公里", ["m²"] = "平方米", ["㎡"] = "平方米", ["cm²"] = "平方厘米",
        ["m³"] = "立方米", ["cm³"] = "立方厘米", ["km"] = "公里", ["m"] = "米", ["cm"] = "厘米", ["mm"] = "毫米", ["µm"] = "微米",
        ["μm"] = "微米", ["nm"] = "纳米", ["kg"] = "公斤", ["g"] = "克", ["mg"] = "毫克", ["t"] = "吨", ["L"] = "升", ["l"] = "升",
        ["mL"] = "毫升", ["ml"] = "毫升", ["h"] = "小时", ["min"] = "分钟", ["s"] = "秒", ["ms"] = "毫秒", ["kW"] = "千瓦",
        ["W"] = "瓦", ["kWh"] = "千瓦时", ["V"] = "伏", ["mA"] = "毫安", ["mAh"] = "毫安时", ["Hz"] = "赫兹", ["kHz"] = "千赫",
        ["MHz"] = "兆赫", ["GHz"] = "吉赫", ["°C"] = "摄氏度", ["℃"] = "摄氏度", ["°F"] = "华氏度", ["℉"] = "华氏度", ["°"] = "度",
        ["dB"] = "分贝", ["kcal"] = "千卡",
    };

    private static readonly Regex s_measurement = new(
        @"\G(?<minus>[-−])?(?<a>" + Patterns.Number + @")(?:(?:-|~|～)(?<b>" + Patterns.Number + @"))?\s?(?<unit>"
        + string.Join('|', s_units.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)) + @")(?![A-Za-z0-9°/²³])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public TokenKind Kind => TokenKind.Unit;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!ChineseNumberWords.NumberMayStart(text, start))
        {
            return false;
        }
        if (start > 0 && (char.IsAsciiDigit(text[start - 1]) || AfterLatinWord(text, start)))
        {
            return false;
        }
        Match match = s_measurement.Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        string unit = s_units[match.Groups["unit"].Value];
        bool temperature = unit is "摄氏度" or "华氏度" or "度";
        string minus = !match.Groups["minus"].Success ? "" : temperature ? "零下" : "负";
        string a = ChineseNumberWords.Number(match.Groups["a"].Value, counting: !temperature);
        string upTo = match.Groups["b"].Success ? "到" + ChineseNumberWords.Number(match.Groups["b"].Value, counting: !temperature) : "";
        reading = new TokenReading(match.Length, minus + a + upTo + unit);
        return true;
    }

    /// <summary>A number right after a Latin word and a space (iPhone 5s, Windows 10) names a model, not a measure.</summary>
    private static bool AfterLatinWord(string text, int start)
    {
        int i = start - 1;
        if (text[i] == ' ')
        {
            i--;
        }
        return i >= 0 && char.IsAsciiLetter(text[i]);
    }
}
