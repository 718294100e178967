using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Ordinals: 第 and a number, the number as a cardinal with 二, never 两 (第3 → 第三, 第2名 → 第二名, 第10010 →
/// 第一万零一十). Inside a sentence 第 follows other Han characters, where no token starts, so the reader also reads
/// the number alone when 第 stands just before it; 第 itself is kept as written.
/// </summary>
public sealed partial class ChineseOrdinalReader : ITokenReader
{
    [GeneratedRegex(@"\G第?(?<number>\d{1,16})(?![0-9]|[.,]\d)")]
    private static partial Regex Ordinal();

    public TokenKind Kind => TokenKind.Ordinal;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        bool marked = text[start] == '第' || (start > 0 && text[start - 1] == '第' && char.IsAsciiDigit(text[start]));
        if (!marked)
        {
            return false;
        }
        Match match = Ordinal().Match(text, start);
        if (!match.Success || !long.TryParse(match.Groups["number"].Value, out long value))
        {
            return false;
        }
        reading = new TokenReading(match.Length, (text[start] == '第' ? "第" : "") + ChineseNumberWords.Cardinal(value));
        return true;
    }
}
