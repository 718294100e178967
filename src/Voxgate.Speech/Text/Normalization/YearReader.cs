using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Years and decades. A bare four-digit number from 1000 to 2099, without a thousands comma, is read as a year
/// (1998 → "nineteen ninety-eight", 2005 → "two thousand five", 2019 → "twenty nineteen"): write 1,998 for a count.
/// Decades: 1990s → "nineteen nineties", 2000s → "two thousands", '90s → "nineties", the 80s → "eighties".
/// A year shortened with an apostrophe ('98) is "ninety-eight", ('05) "oh five"; an era after a year (44 BC,
/// 79 AD) is spelled: "B C", "A D".
/// </summary>
public sealed partial class YearReader : ITokenReader
{
    [GeneratedRegex(@"\G['’]?(?<decade>\d{1,3}0)['’]?s(?![\p{L}\p{N}])")]
    private static partial Regex Decade();

    [GeneratedRegex(@"\G['’](?<short>\d{2})(?![\p{L}\p{N}]|[.,]\d)")]
    private static partial Regex ShortYear();

    [GeneratedRegex(@"\G(?<year>\d{1,4})\s?(?<era>BCE|BC|CE|AD|B\.C\.E\.|B\.C\.|C\.E\.|A\.D\.)(?![\p{L}\p{N}])")]
    private static partial Regex YearWithEra();

    [GeneratedRegex(@"\G(?<year>1\d{3}|20\d\d)(?![\p{L}\p{N}]|[.,]\d)")]
    private static partial Regex Year();

    public TokenKind Kind => TokenKind.Year;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        if (!(char.IsAsciiDigit(first) || first is '\'' or '’') || (start > 0 && char.IsLetterOrDigit(text[start - 1])))
        {
            return false;
        }
        Match match = Decade().Match(text, start);
        if (match.Success)
        {
            string digits = match.Groups["decade"].Value;
            bool shortened = match.Value[0] is '\'' or '’';
            if (digits.Length == 3 || (digits.Length == 1 && !shortened))
            {
                return false;
            }
            int decade = int.Parse(digits, CultureInfo.InvariantCulture);
            reading = new TokenReading(match.Length, digits.Length == 2 && decade == 0 ? "two thousands" : NumberWords.Decade(decade), IsNumber: false);
            return true;
        }
        if ((match = ShortYear().Match(text, start)).Success)
        {
            int year = int.Parse(match.Groups["short"].Value, CultureInfo.InvariantCulture);
            reading = new TokenReading(match.Length, year < 10 ? "oh " + NumberWords.Cardinal(year) : NumberWords.Cardinal(year));
            return true;
        }
        if ((match = YearWithEra().Match(text, start)).Success)
        {
            int year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
            string era = UrlReader.Spell(match.Groups["era"].Value.Replace(".", "", StringComparison.Ordinal));
            bool keepPeriod = match.Value.EndsWith('.') && context.PeriodEndsSentence(start + match.Length);
            reading = new TokenReading(match.Length, $"{NumberWords.Year(year)} {era}{(keepPeriod ? "." : "")}");
            return true;
        }
        if ((match = Year().Match(text, start)).Success)
        {
            reading = new TokenReading(match.Length, NumberWords.Year(int.Parse(match.Value, CultureInfo.InvariantCulture)));
            return true;
        }
        return false;
    }
}
