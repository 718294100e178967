using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Plain numbers in Chinese text: cardinals grouped by 万 and 亿 (1,234,567 → 一百二十三万四千五百六十七, 10010 →
/// 一万零一十), 两 before a measure word (2个 → 两个, 2-3个 → 两到三个, 2万 → 两万), decimals (3.14 → 三点一四, 0.5 →
/// 零点五), negatives (-5 → 负五, -2度 → 零下二度; 1.5万-2万 is a range, 一点五万到两万), and whole numbers with a leading zero or too long digit by digit (007 → 零零七).
/// A number may stand right against Han characters (共3个), unlike in English.
/// </summary>
public sealed partial class ChineseNumberReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<minus>[-−])?(?<number>" + Patterns.Number + @")(?![0-9]|[.,]\d)")]
    private static partial Regex Number();

    public TokenKind Kind => TokenKind.Cardinal;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        if (!ChineseNumberWords.NumberMayStart(text, start))
        {
            return false;
        }
        if (start > 0 && (char.IsAsciiDigit(text[start - 1]) || (first == '.' && char.IsLetterOrDigit(text[start - 1]))))
        {
            return false;
        }
        Match match = Number().Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        bool counting = ChineseNumberWords.MeasureFollows(text, start + match.Length);
        // A dash after an amount with its scale (1.5万-2万) joins a range, which the pass cannot see past the scale;
        // below zero on a thermometer (-2度) is 零下, as temperatures are said; any other minus is 负.
        string minus = !match.Groups["minus"].Success ? ""
            : start >= 2 && text[start - 1] is '万' or '亿' or '千' or '百' && char.IsAsciiDigit(text[start - 2]) ? "到"
            : start + match.Length < text.Length && text[start + match.Length] == '度' ? "零下" : "负";
        reading = new TokenReading(match.Length, minus + ChineseNumberWords.Number(match.Groups["number"].Value, counting));
        return true;
    }
}
