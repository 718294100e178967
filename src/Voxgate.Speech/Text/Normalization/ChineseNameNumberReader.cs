using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Numbers in names written with Latin letters, the letters left to the engine: a number a hyphen joins to a Latin
/// word is a name's number, not a minus or a range, and the hyphen is a space (COVID-19 → COVID 十九, GPT-4 → GPT 四);
/// further groups of a code likewise (ABC-123-456 → ABC 一二三 四五六);
/// a number right after letters is read as a cardinal up to two digits (Win10 → Win十, G20 → G二十, PM2.5 → PM二点五)
/// and digit by digit from three, as model numbers are said (A320 → A三二零, C919 → C九一九, ISO9001 → ISO九零零一);
/// No.1 → 第一. Weapon designations with a Han type and a hyphen keep the hyphen silent (歼-20 → 歼二十, 东风-41 →
/// 东风四十一), where a minus would otherwise be read. Numbers before letters (5G → 五G, 4K → 四K) and after a Latin
/// word and a space (iPhone 15 → iPhone 十五) are plain numbers (<see cref="ChineseNumberReader"/>).
/// </summary>
public sealed partial class ChineseNameNumberReader : ITokenReader
{
    [GeneratedRegex(@"\G(?:(?<dash>-)(?<number>\d+(?:\.\d+)?)(?:-(?<number>\d+))*|(?<number>\d+(?:\.\d+)?))(?![0-9]|[.,]\d)")]
    private static partial Regex Attached();

    [GeneratedRegex(@"\G[Nn][Oo]\.\s?(?<number>\d{1,6})(?![0-9]|[.,]\d)")]
    private static partial Regex NumberSign();

    [GeneratedRegex(@"(?:歼|运|轰|直|东风|红旗|鹰击|长剑|巨浪|霹雳|翼龙|彩虹)$")]
    private static partial Regex HanDesignation();

    public TokenKind Kind => TokenKind.Cardinal;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        Match match;
        if (text[start] is 'N' or 'n')
        {
            if ((start > 0 && char.IsAsciiLetter(text[start - 1])) || !(match = NumberSign().Match(text, start)).Success)
            {
                return false;
            }
            reading = new TokenReading(match.Length, "第" + ChineseNumberWords.Number(match.Groups["number"].Value));
            return true;
        }
        if (start == 0 || !(text[start] == '-' || char.IsAsciiDigit(text[start])) || !(match = Attached().Match(text, start)).Success)
        {
            return false;
        }
        bool dash = match.Groups["dash"].Success;
        if (!char.IsAsciiLetter(text[start - 1]))
        {
            if (!dash || !HanDesignation().IsMatch(text.AsSpan(Math.Max(0, start - 2), Math.Min(start, 2))))
            {
                return false;
            }
            reading = new TokenReading(match.Length, string.Join(' ', match.Groups["number"].Captures.Select(c => ChineseNumberWords.Number(c.Value))));
            return true;
        }
        // A code's further groups (ABC-123-456) are read alike, apart; a range after a number written against letters
        // still joins (B1-3层 → B一到三层).
        string spoken = string.Join(' ', match.Groups["number"].Captures.Select(c =>
            c.Value.Length >= 3 && !c.Value.Contains('.') ? ChineseNumberWords.Digits(c.Value) : ChineseNumberWords.Number(c.Value)));
        reading = new TokenReading(match.Length, (dash ? " " : "") + spoken, IsNumber: !dash);
        return true;
    }
}
