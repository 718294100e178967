using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>Percentages, signed and as ranges: 12.5% → "twelve point five percent", -3% → "minus three percent",
/// +5% → "plus five percent", 10-12% → "ten to twelve percent"; per mille (‰) likewise.</summary>
public sealed partial class PercentReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<sign>[-−+])?(?<a>" + Patterns.Number + ")(?:" + Patterns.RangeDash + "(?<b>" + Patterns.Number + @")%?)?\s?(?<symbol>[%‰])")]
    private static partial Regex Percent();

    public TokenKind Kind => TokenKind.Percent;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (start > 0 && char.IsLetterOrDigit(text[start - 1]) || !(char.IsAsciiDigit(text[start]) || text[start] is '.' or '-' or '−' or '+'))
        {
            return false;
        }
        Match match = Percent().Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        string sign = match.Groups["sign"].Value switch { "" => "", "+" => "plus ", _ => "minus " };
        string upTo = match.Groups["b"].Success ? " to " + NumberWords.Number(match.Groups["b"].Value) : "";
        string unit = match.Groups["symbol"].Value == "%" ? "percent" : "per mille";
        reading = new TokenReading(match.Length, $"{sign}{NumberWords.Number(match.Groups["a"].Value)}{upTo} {unit}");
        return true;
    }
}
