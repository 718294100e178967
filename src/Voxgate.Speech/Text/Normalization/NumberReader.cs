using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Plain numbers: cardinals (12,345 → "twelve thousand three hundred forty-five"), decimals (3.14 → "three point one
/// four", .5 → "point five", 0.5 → "zero point five"), negatives (-4 → "minus four", only where a minus can stand:
/// at the start or after a space or bracket), scale abbreviations (3.5bn → "three point five billion"; a lone M or
/// B is a letter, as in 221B, and only money reads it as a scale: $2M), numbers with several dots: versions and section numbers with "point" (3.12.1 → "three point twelve point one"), an IPv4 address (four parts of 0-255) with "dot" as network people say it (192.168.0.1), whole numbers with a leading
/// zero digit by digit (007 → "zero zero seven"), and more than 15 digits digit by digit. A number glued to letters
/// is read apart from them (MP3 → "MP three", 221B → "two hundred twenty-one B", 4K → "four K").
/// </summary>
public sealed partial class NumberReader : ITokenReader
{
    [GeneratedRegex(@"\G(?<minus>[-−])?(?<number>" + Patterns.Number + @")(?<scale>bn|mn|tn)?(?![\p{L}\p{N}]|[.,]\d)|\G(?<number>\d+)(?=\p{Lu}+(?![\p{Ll}]))")]
    private static partial Regex Number();

    [GeneratedRegex(@"\G\d+(?:\.\d+){2,}(?![\p{L}\p{N}]|\.\d)")]
    private static partial Regex Dotted();

    public TokenKind Kind => TokenKind.Cardinal;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        if (first is '-' or '−')
        {
            // A minus stands at the start, after a space or an opening bracket; elsewhere it is a hyphen (COVID-19).
            if (start > 0 && !char.IsWhiteSpace(text[start - 1]) && text[start - 1] is not ('(' or '[' or '=' or '"' or '“'))
            {
                return false;
            }
        }
        else if (!(char.IsAsciiDigit(first) || first == '.') || (start > 0 && char.IsAsciiDigit(text[start - 1])))
        {
            return false;
        }
        if (first == '.' && start > 0 && char.IsLetterOrDigit(text[start - 1]))
        {
            return false;
        }
        Match dotted = Dotted().Match(text, start);
        if (dotted.Success)
        {
            string[] parts = dotted.Value.Split('.');
            string joiner = IsAddress(parts) ? " dot " : " point ";
            reading = new TokenReading(dotted.Length, string.Join(joiner, parts.Select(NumberWords.Number)));
            return true;
        }
        Match match = Number().Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        string scale = match.Groups["scale"].Value switch
        {
            "bn" => " billion",
            "mn" => " million",
            "tn" => " trillion",
            _ => "",
        };
        reading = new TokenReading(match.Length, (match.Groups["minus"].Success ? "minus " : "") + NumberWords.Number(match.Groups["number"].Value) + scale);
        return true;
    }

    /// <summary>Whether dotted parts are an IPv4 address: four parts of 0-255 without leading zeros.</summary>
    private static bool IsAddress(string[] parts) =>
        parts.Length == 4 && parts.All(p => p.Length <= 3 && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
}
