using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Fractions: 3/4 → "three quarters", 1/2 → "one half", 2/3 → "two thirds", 1 1/2 → "one and a half", and the
/// Unicode fractions (½, ¾). Two numbers around a slash are a fraction only when the denominator is 2..100;
/// 24/7 is "twenty-four seven" and 50/50 "fifty-fifty", as said. A slashed date with a year is a date (DateReader).
/// Before a unit (an abbreviation such as tsp or oz, or a measuring word such as cup, inch, hour), a fraction below
/// one is "of a" it (3/4 cup → "three quarters of a cup", 1/8 tsp → "one eighth of a teaspoon"), and one half is
/// "half a" (1/2 hour → "half an hour"); with a whole part the unit is plural (1 1/2 tsp → "one and a half
/// teaspoons"). Joined by a hyphen to the word after it, a fraction is an adjective and its denominator singular
/// (a 3/4-inch pipe → "a three-quarter-inch pipe", 1/2-inch → "half-inch"; a unit's symbol is its singular name:
/// a 1/4-lb burger → "a quarter-pound burger").
/// </summary>
public sealed partial class FractionReader : ITokenReader
{
    private static readonly Dictionary<char, (int Numerator, int Denominator)> s_vulgar = new()
    {
        ['½'] = (1, 2), ['⅓'] = (1, 3), ['⅔'] = (2, 3), ['¼'] = (1, 4), ['¾'] = (3, 4), ['⅕'] = (1, 5), ['⅖'] = (2, 5),
        ['⅗'] = (3, 5), ['⅘'] = (4, 5), ['⅙'] = (1, 6), ['⅚'] = (5, 6), ['⅛'] = (1, 8), ['⅜'] = (3, 8), ['⅝'] = (5, 8), ['⅞'] = (7, 8),
    };

    [GeneratedRegex(@"\G(?:(?<whole>\d{1,2})\s)?(?<numerator>\d{1,3})/(?<denominator>\d{1,3})(?![\p{L}\p{N}/]|[.,]\d)")]
    private static partial Regex Slashed();

    [GeneratedRegex(@"\G(?:(?<whole>\d{1,2})\s?)?(?<vulgar>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])")]
    private static partial Regex Vulgar();

    /// <summary>Measuring words a fraction is "of a" (3/4 cup), singular and plural.</summary>
    private static readonly Dictionary<string, string> s_measures = new(StringComparer.Ordinal)
    {
        ["cup"] = "cup", ["cups"] = "cup", ["teaspoon"] = "teaspoon", ["teaspoons"] = "teaspoon", ["tablespoon"] = "tablespoon",
        ["tablespoons"] = "tablespoon", ["inch"] = "inch", ["inches"] = "inch", ["ounce"] = "ounce", ["ounces"] = "ounce",
        ["pound"] = "pound", ["pounds"] = "pound", ["mile"] = "mile", ["miles"] = "mile", ["hour"] = "hour", ["hours"] = "hour",
        ["gallon"] = "gallon", ["gallons"] = "gallon", ["quart"] = "quart", ["pint"] = "pint", ["liter"] = "liter",
        ["litre"] = "litre", ["stick"] = "stick", ["dozen"] = "dozen", ["can"] = "can", ["teacup"] = "teacup",
    };

    private static readonly Regex s_unitAfter = new(@"\G\s(?:(?<symbol>" + UnitReader.Symbols + @")|(?<word>\p{Ll}+))(?![\p{L}\p{N}°/²³])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex s_unitSymbolAfterHyphen = new(@"\G-(?<symbol>" + UnitReader.Symbols + @")(?![\p{L}\p{N}°/²³])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public TokenKind Kind => TokenKind.Fraction;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '/' or '.'))
        {
            return false;
        }
        Match match = Vulgar().Match(text, start);
        int numerator, denominator;
        if (match.Success)
        {
            (numerator, denominator) = s_vulgar[match.Groups["vulgar"].Value[0]];
        }
        else if ((match = Slashed().Match(text, start)).Success)
        {
            numerator = int.Parse(match.Groups["numerator"].Value, CultureInfo.InvariantCulture);
            denominator = int.Parse(match.Groups["denominator"].Value, CultureInfo.InvariantCulture);
            if (match.Value is "24/7" or "50/50")
            {
                reading = new TokenReading(match.Length, match.Value == "24/7" ? "twenty-four seven" : "fifty-fifty");
                return true;
            }
            if (denominator is < 2 or > 100)
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        long? whole = match.Groups["whole"].Success ? long.Parse(match.Groups["whole"].Value, CultureInfo.InvariantCulture) : null;
        int end = start + match.Length;
        if (end + 1 < text.Length && text[end] == '-' && char.IsLetter(text[end + 1]))
        {
            string adjective = whole is null ? Adjective(numerator, denominator) : Say(whole, numerator, denominator);
            Match symbol = s_unitSymbolAfterHyphen.Match(text, end);
            reading = symbol.Success && UnitReader.Names(symbol.Groups["symbol"].Value) is { } unitNames
                ? new TokenReading(match.Length + symbol.Length, $"{adjective}-{unitNames.Singular}") // a 1/4-lb burger
                : new TokenReading(match.Length, adjective);
            return true;
        }
        if (ReadWithUnit(context, end, whole, numerator, denominator) is { } withUnit)
        {
            reading = new TokenReading(match.Length + withUnit.Length, withUnit.Spoken);
            return true;
        }
        reading = new TokenReading(match.Length, Say(whole, numerator, denominator));
        return true;
    }

    /// <summary>A fraction and the unit after it, or null when no unit follows.</summary>
    private static (int Length, string Spoken)? ReadWithUnit(ReadingContext context, int end, long? whole, int numerator, int denominator)
    {
        string text = context.Text;
        Match unit = s_unitAfter.Match(text, end);
        if (!unit.Success)
        {
            return null;
        }
        int length = unit.Length;
        string singular, plural;
        if (unit.Groups["symbol"].Success && UnitReader.Names(unit.Groups["symbol"].Value) is { } names)
        {
            (singular, plural) = names;
            length += UnitReader.PeriodLength(context, unit.Groups["symbol"].Value, end + length);
        }
        else if (unit.Groups["word"].Success && whole is null && s_measures.TryGetValue(unit.Groups["word"].Value, out string? measure))
        {
            (singular, plural) = (measure, measure);
        }
        else
        {
            return null;
        }
        if (whole is not null)
        {
            return (length, $"{Say(whole, numerator, denominator)} {plural}");
        }
        string article = singular[0] is 'a' or 'e' or 'i' or 'o' or 'u' || singular.StartsWith("hour", StringComparison.Ordinal) ? "an" : "a";
        return (length, numerator == 1 && denominator == 2 ? $"half {article} {singular}" : $"{Say(null, numerator, denominator)} of {article} {singular}");
    }

    /// <summary>A fraction before a hyphen and a noun, as an adjective: "half", "quarter", "three-quarter", "one-third".</summary>
    private static string Adjective(int numerator, int denominator) => (numerator, denominator) switch
    {
        (1, 2) => "half",
        (1, 4) => "quarter",
        _ => $"{NumberWords.Cardinal(numerator)}-{NumberWords.Denominator(denominator, plural: false)}",
    };

    /// <summary>"three quarters"; with a whole part, "two and a half", "one and three quarters".</summary>
    public static string Say(long? whole, long numerator, long denominator)
    {
        string fraction = $"{(whole is not null && numerator == 1 ? "a" : NumberWords.Cardinal(numerator))} {NumberWords.Denominator(denominator, numerator != 1)}";
        return whole is { } w ? $"{NumberWords.Cardinal(w)} and {fraction}" : fraction;
    }
}
