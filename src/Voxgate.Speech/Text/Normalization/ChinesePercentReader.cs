using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Percentages, said fraction first: 45% → 百分之四十五, 12.5% → 百分之十二点五, -3% → 负百分之三, 10-20% → 百分之十到二十
/// (10%-20% → 百分之十到百分之二十, as written); per mille: 5‰ → 千分之五. Full-width ％ likewise.
/// </summary>
public sealed partial class ChinesePercentReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<sign>[-−+])?(?<a>" + Patterns.Number + @")(?:(?:-|~|～|到|至)(?<b>" + Patterns.Number + @"))?\s?(?<symbol>[%％‰])")]
    private static partial Regex Percent();

    public TokenKind Kind => TokenKind.Percent;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!ChineseNumberWords.NumberMayStart(text, start, plus: true)
            || (start > 0 && char.IsAsciiDigit(text[start - 1])))
        {
            return false;
        }
        Match match = Percent().Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        string sign = match.Groups["sign"].Value switch { "" => "", "+" => "正", _ => "负" };
        string whole = match.Groups["symbol"].Value == "‰" ? "千分之" : "百分之";
        string upTo = match.Groups["b"].Success ? "到" + ChineseNumberWords.Number(match.Groups["b"].Value) : "";
        reading = new TokenReading(match.Length, sign + whole + ChineseNumberWords.Number(match.Groups["a"].Value) + upTo);
        return true;
    }
}
