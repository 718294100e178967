using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>Ordinals written with their suffix: 1st → "first", 21st → "twenty-first", 103rd → "one hundred third".</summary>
public sealed partial class OrdinalReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<number>\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th|ST|ND|RD|TH)(?![\p{L}\p{N}])")]
    private static partial Regex Ordinal();

    public TokenKind Kind => TokenKind.Ordinal;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || (start > 0 && char.IsLetterOrDigit(text[start - 1])))
        {
            return false;
        }
        Match match = Ordinal().Match(text, start);
        if (!match.Success || NumberWords.WholeValue(match.Groups["number"].Value) is not { } value)
        {
            return false;
        }
        reading = new TokenReading(match.Length, NumberWords.Ordinal(value));
        return true;
    }
}
