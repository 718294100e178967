using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Measurements: a number (or a range) and a unit symbol, the unit in words, singular only for exactly one
/// (1 kg → "one kilogram", 1.5 kg → "one point five kilograms", 5-10 km → "five to ten kilometers"), and singular
/// before a noun (a 12 V battery → "a twelve volt battery"). The symbols are matched as written (case matters: MB is
/// megabytes, mb is not read); B, K and t are not units here (221B, 4K, 5t are letters). "in" is inches only before
/// punctuation or at the end, so that "5 in the box" stays as written.
/// </summary>
public sealed partial class UnitReader : ITokenReader
{
    private static readonly Dictionary<string, (string Singular, string Plural)> s_units = new(StringComparer.Ordinal)
    {
        ["km/h"] = ("kilometer per hour", "kilometers per hour"), ["kph"] = ("kilometer per hour", "kilometers per hour"),
        ["m/s"] = ("meter per second", "meters per second"), ["mph"] = ("mile per hour", "miles per hour"),
        ["km²"] = ("square kilometer", "square kilometers"), ["m²"] = ("square meter", "square meters"), ["cm²"] = ("square centimeter", "square centimeters"),
        ["ft²"] = ("square foot", "square feet"), ["sq ft"] = ("square foot", "square feet"), ["sq m"] = ("square meter", "square meters"),
        ["m³"] = ("cubic meter", "cubic meters"), ["cm³"] = ("cubic centimeter", "cubic centimeters"),
        ["km"] = ("kilometer", "kilometers"), ["m"] = ("meter", "meters"), ["cm"] = ("centimeter", "centimeters"),
        ["mm"] = ("millimeter", "millimeters"), ["nm"] = ("nanometer", "nanometers"), ["µm"] = ("micrometer", "micrometers"),
        ["mi"] = ("mile", "miles"), ["ft"] = ("foot", "feet"), ["yd"] = ("yard", "yards"), ["in"] = ("inch", "inches"),
        ["kg"] = ("kilogram", "kilograms"), ["g"] = ("gram", "grams"), ["mg"] = ("milligram", "milligrams"), ["µg"] = ("microgram", "micrograms"),
        ["lb"] = ("pound", "pounds"), ["lbs"] = ("pound", "pounds"), ["oz"] = ("ounce", "ounces"), ["fl oz"] = ("fluid ounce", "fluid ounces"),
        ["tsp"] = ("teaspoon", "teaspoons"), ["tsps"] = ("teaspoon", "teaspoons"), ["tbsp"] = ("tablespoon", "tablespoons"),
        ["Tbsp"] = ("tablespoon", "tablespoons"), ["tbsps"] = ("tablespoon", "tablespoons"), ["tbs"] = ("tablespoon", "tablespoons"),
        ["qt"] = ("quart", "quarts"), ["qts"] = ("quart", "quarts"), ["pt"] = ("pint", "pints"), ["doz"] = ("dozen", "dozen"),
        ["l"] = ("liter", "liters"), ["L"] = ("liter", "liters"), ["ml"] = ("milliliter", "milliliters"), ["mL"] = ("milliliter", "milliliters"),
        ["cl"] = ("centiliter", "centiliters"), ["gal"] = ("gallon", "gallons"),
        ["ms"] = ("millisecond", "milliseconds"), ["µs"] = ("microsecond", "microseconds"), ["μs"] = ("microsecond", "microseconds"),
        ["ns"] = ("nanosecond", "nanoseconds"), ["s"] = ("second", "seconds"), ["sec"] = ("second", "seconds"),
        ["min"] = ("minute", "minutes"), ["h"] = ("hour", "hours"), ["hr"] = ("hour", "hours"), ["hrs"] = ("hour", "hours"),
        ["Hz"] = ("hertz", "hertz"), ["kHz"] = ("kilohertz", "kilohertz"), ["MHz"] = ("megahertz", "megahertz"), ["GHz"] = ("gigahertz", "gigahertz"),
        ["KB"] = ("kilobyte", "kilobytes"), ["kB"] = ("kilobyte", "kilobytes"), ["MB"] = ("megabyte", "megabytes"),
        ["GB"] = ("gigabyte", "gigabytes"), ["TB"] = ("terabyte", "terabytes"), ["PB"] = ("petabyte", "petabytes"),
        ["KiB"] = ("kibibyte", "kibibytes"), ["MiB"] = ("mebibyte", "mebibytes"), ["GiB"] = ("gibibyte", "gibibytes"),
        ["kbps"] = ("kilobit per second", "kilobits per second"), ["Mbps"] = ("megabit per second", "megabits per second"),
        ["Gbps"] = ("gigabit per second", "gigabits per second"),
        ["°C"] = ("degree Celsius", "degrees Celsius"), ["°F"] = ("degree Fahrenheit", "degrees Fahrenheit"), ["°"] = ("degree", "degrees"),
        ["W"] = ("watt", "watts"), ["kW"] = ("kilowatt", "kilowatts"), ["MW"] = ("megawatt", "megawatts"), ["kWh"] = ("kilowatt hour", "kilowatt hours"),
        ["V"] = ("volt", "volts"), ["mV"] = ("millivolt", "millivolts"), ["mA"] = ("milliamp", "milliamps"), ["mAh"] = ("milliamp hour", "milliamp hours"),
        ["kcal"] = ("kilocalorie", "kilocalories"), ["cal"] = ("calorie", "calories"), ["dB"] = ("decibel", "decibels"),
        ["rpm"] = ("revolution per minute", "revolutions per minute"), ["bpm"] = ("beat per minute", "beats per minute"),
        ["fps"] = ("frame per second", "frames per second"), ["px"] = ("pixel", "pixels"),
    };

    /// <summary>
    /// The unit symbols as a regular expression's alternatives, longest first, so that km/h wins over km and kWh over
    /// kW; "in" only where it cannot be the word (before punctuation or at the end).
    /// </summary>
    public static string Symbols { get; } = string.Join('|', s_units.Keys.OrderByDescending(k => k.Length)
        .Select(k => k == "in" ? @"in(?=[.,;)!?]|$)" : Regex.Escape(k)));

    /// <summary>A unit's singular and plural names (tsp → teaspoon, teaspoons), or null for an unknown symbol.</summary>
    public static (string Singular, string Plural)? Names(string symbol) => s_units.TryGetValue(symbol, out var names) ? names : null;

    /// <summary>
    /// 1 when a unit written as an abbreviation of letters has its period at <paramref name="end"/> and that period
    /// does not end the sentence (2 tsp. salt: the abbreviation's), else 0.
    /// </summary>
    public static int PeriodLength(ReadingContext context, string symbol, int end) =>
        symbol.Length > 1 && symbol.All(char.IsAsciiLetter) && end < context.Text.Length && context.Text[end] == '.'
        && !context.PeriodEndsSentence(end + 1) ? 1 : 0;

    /// <summary>Words after "pt" that make it a typographic point (12 pt font → "twelve point font"), not a pint.</summary>
    private static readonly HashSet<string> s_typeWords = new(StringComparer.OrdinalIgnoreCase) { "font", "type", "text", "typeface", "size", "leading" };

    private static readonly Regex s_measurement = new(
        @"\G(?<minus>[-−])?(?<a>" + Patterns.Number + ")(?:" + Patterns.RangeDash + "(?<b>" + Patterns.Number + @"))?(?<space>\s?)(?<unit>" + Symbols + @")(?![\p{L}\p{N}°/²³])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public TokenKind Kind => TokenKind.Unit;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        if (!(char.IsAsciiDigit(first) || first is '.' or '-' or '−') || (start > 0 && char.IsLetterOrDigit(text[start - 1])))
        {
            return false;
        }
        if (first is '-' or '−' && start > 0 && !char.IsWhiteSpace(text[start - 1]) && text[start - 1] is not ('(' or '['))
        {
            return false;
        }
        Match match = s_measurement.Match(text, start);
        if (!match.Success)
        {
            return false;
        }
        string unit = match.Groups["unit"].Value;
        int end = start + match.Length;
        // "in" is also a word: inches only before punctuation or at the end.
        if (unit == "in" && !(end == text.Length || text[end] is '.' or ',' or ';' or ')' or '!' or '?'))
        {
            return false;
        }
        if (unit == "s" && IsDecade(context, start, match.Groups["a"].Value))
        {
            return false; // the 1990s, in her 30s: decades (YearReader)
        }
        int length = match.Length + PeriodLength(context, unit, end);
        bool singular = context.IsAttributive(start, end);
        string spoken = unit == "pt" && context.NextWord(end) is { } next && s_typeWords.Contains(next)
            ? NumberWords.Number(match.Groups["a"].Value) + " point" // 12 pt type: the type's size, an adjective
            : Say(match.Groups["a"].Value, match.Groups["b"].Success ? match.Groups["b"].Value : null, unit, match.Groups["minus"].Success, singular)!;
        reading = new TokenReading(length, spoken);
        return true;
    }

    private static readonly HashSet<string> s_beforeDecades = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "her", "his", "their", "my", "your", "our", "its", "early", "mid", "late", "of", "in",
    };

    private static bool IsDecade(ReadingContext context, int start, string amount) =>
        amount.Length == 4 && amount[3] == '0'
        || amount.Length == 2 && amount[1] == '0' && context.PreviousWord(start) is { } previous && s_beforeDecades.Contains(previous.Word);

    /// <summary>A measurement read aloud; null for an unknown unit.</summary>
    /// <param name="singular">Before a noun: "a twelve volt battery", "a five to ten kilogram load".</param>
    public static string? Say(string amount, string? upTo, string unit, bool negative = false, bool singular = false)
    {
        if (!s_units.TryGetValue(unit, out var names))
        {
            return null;
        }
        bool one = singular || (upTo is null && amount == "1");
        string number = NumberWords.Number(amount) + (upTo is null ? "" : " to " + NumberWords.Number(upTo));
        return $"{(negative ? "minus " : "")}{number} {(one ? names.Singular : names.Plural)}";
    }
}
