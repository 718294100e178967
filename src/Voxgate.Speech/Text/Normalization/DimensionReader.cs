using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Dimensions: two or three numbers joined by x or × are "by" (12 x 8 → "twelve by eight", 12x8 ft → "twelve by
/// eight feet", 2 m × 3 m → "two meters by three meters", a 4x4 → "a four by four"). A unit after each number or after
/// the last is read as <see cref="UnitReader"/> reads it. "0x" before a digit is hexadecimal, and numbers before
/// "=" a product (3 x 4 = 12), not a dimension.
/// </summary>
public sealed partial class DimensionReader : ITokenReader
{
    private static readonly string s_side = @"(?<n>" + Patterns.Number + @")(?:\s?(?<u>" + UnitReader.Symbols + @"))?";

    private static readonly Regex s_dimensions = new(
        @"\G" + s_side + @"(?:\s?[x×]\s?" + s_side + @"){1,2}" + Patterns.End + @"(?![°/²³])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public TokenKind Kind => TokenKind.Dimension;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or ',' or '-' or '/')))
        {
            return false;
        }
        if (text[start] == '0' && start + 2 < text.Length && text[start + 1] == 'x' && char.IsAsciiHexDigit(text[start + 2]))
        {
            return false; // 0x1F: hexadecimal
        }
        Match match = s_dimensions.Match(text, start);
        if (!match.Success || text.AsSpan(start + match.Length).TrimStart(' ').StartsWith("="))
        {
            return false; // 3 x 4 = 12: a product, not a size
        }
        bool singular = context.IsAttributive(start, start + match.Length);
        CaptureCollection numbers = match.Groups["n"].Captures, units = match.Groups["u"].Captures;
        var sides = new List<string>(numbers.Count);
        foreach (Capture number in numbers)
        {
            Capture? unit = units.FirstOrDefault(u => u.Index > number.Index && u.Index <= number.Index + number.Length + 1);
            sides.Add(unit is null ? NumberWords.Number(number.Value) : UnitReader.Say(number.Value, null, unit.Value, singular: singular)!);
        }
        reading = new TokenReading(match.Length, string.Join(" by ", sides));
        return true;
    }
}
