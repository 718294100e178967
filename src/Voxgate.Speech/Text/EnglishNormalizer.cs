using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text;

/// <summary>
/// Writes English text the way it is read aloud (MiniMax's <c>english_normalization</c> / <c>text_normalization</c>):
/// currency, percentages, units, dates, times, ordinals, years, decimals and grouped numbers in words, and common
/// abbreviations expanded, so that every engine reads them alike.
/// </summary>
public static partial class EnglishNormalizer
{
    private static readonly string[] s_ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] s_tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly (long Value, string Name)[] s_scales =
    [
        (1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"),
    ];

    private static readonly string[] s_months =
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ];

    private static readonly Dictionary<string, (string Singular, string Plural)> s_units = new(StringComparer.Ordinal)
    {
        ["km"] = ("kilometer", "kilometers"), ["m"] = ("meter", "meters"), ["cm"] = ("centimeter", "centimeters"),
        ["mm"] = ("millimeter", "millimeters"), ["mi"] = ("mile", "miles"), ["ft"] = ("foot", "feet"), ["in"] = ("inch", "inches"),
        ["kg"] = ("kilogram", "kilograms"), ["g"] = ("gram", "grams"), ["mg"] = ("milligram", "milligrams"), ["lb"] = ("pound", "pounds"),
        ["lbs"] = ("pound", "pounds"), ["oz"] = ("ounce", "ounces"), ["l"] = ("liter", "liters"), ["L"] = ("liter", "liters"),
        ["ml"] = ("milliliter", "milliliters"), ["mL"] = ("milliliter", "milliliters"), ["km/h"] = ("kilometer per hour", "kilometers per hour"),
        ["mph"] = ("mile per hour", "miles per hour"), ["ms"] = ("millisecond", "milliseconds"), ["s"] = ("second", "seconds"),
        ["min"] = ("minute", "minutes"), ["h"] = ("hour", "hours"), ["Hz"] = ("hertz", "hertz"), ["kHz"] = ("kilohertz", "kilohertz"),
        ["MHz"] = ("megahertz", "megahertz"), ["GHz"] = ("gigahertz", "gigahertz"), ["KB"] = ("kilobyte", "kilobytes"),
        ["MB"] = ("megabyte", "megabytes"), ["GB"] = ("gigabyte", "gigabytes"), ["TB"] = ("terabyte", "terabytes"),
        ["°C"] = ("degree Celsius", "degrees Celsius"), ["°F"] = ("degree Fahrenheit", "degrees Fahrenheit"), ["°"] = ("degree", "degrees"),
        ["kW"] = ("kilowatt", "kilowatts"), ["W"] = ("watt", "watts"), ["V"] = ("volt", "volts"),
    };

    private static readonly Dictionary<string, (string Major, string Majors, string Minor, string Minors)> s_currencies = new()
    {
        ["$"] = ("dollar", "dollars", "cent", "cents"),
        ["€"] = ("euro", "euros", "cent", "cents"),
        ["£"] = ("pound", "pounds", "penny", "pence"),
        ["¥"] = ("yen", "yen", "sen", "sen"),
    };

    private static readonly (string Abbreviation, string Expansion)[] s_abbreviations =
    [
        ("Mr.", "Mister"), ("Mrs.", "Missus"), ("Ms.", "Miss"), ("Dr.", "Doctor"), ("Prof.", "Professor"), ("Jr.", "Junior"),
        ("Sr.", "Senior"), ("St.", "Saint"), ("Mt.", "Mount"), ("vs.", "versus"), ("etc.", "et cetera"), ("e.g.", "for example"),
        ("i.e.", "that is"), ("approx.", "approximately"), ("No.", "number"), ("Inc.", "Incorporated"), ("Ltd.", "Limited"),
        ("Co.", "Company"), ("Corp.", "Corporation"), ("Dept.", "Department"), ("Jan.", "January"), ("Feb.", "February"),
        ("Mar.", "March"), ("Apr.", "April"), ("Aug.", "August"), ("Sep.", "September"), ("Sept.", "September"),
        ("Oct.", "October"), ("Nov.", "November"), ("Dec.", "December"),
    ];

    [GeneratedRegex(@"([$€£¥])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?!\d)")]
    private static partial Regex Currency();

    [GeneratedRegex(@"(?<![\d.])(\d+(?:\.\d+)?)\s?%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b(\d{4})-(\d{2})-(\d{2})\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")]
    private static partial Regex UsDate();

    [GeneratedRegex(@"\b(\d{1,2}):(\d{2})(?:\s?([AaPp])\.?[Mm]\.?)?(?!\d)")]
    private static partial Regex Time();

    [GeneratedRegex(@"\b(\d+)(st|nd|rd|th)\b")]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"(?<![\w.])(-?\d+(?:\.\d+)?)\s?(km/h|°C|°F|kHz|MHz|GHz|mph|km|cm|mm|mi|ft|kg|mg|lbs|lb|oz|ml|mL|ms|min|Hz|KB|MB|GB|TB|kW|°|m|g|l|L|s|h|W|V)(?![\w°/])")]
    private static partial Regex Unit();

    [GeneratedRegex(@"(?<![\w.,])-?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w]|\.\d)")]
    private static partial Regex Number();

    public static string Normalize(string text)
    {
        foreach ((string abbreviation, string expansion) in s_abbreviations)
        {
            text = Regex.Replace(text, $@"(?<![\w.]){Regex.Escape(abbreviation)}", expansion);
        }
        text = Currency().Replace(text, SayCurrency);
        text = Percent().Replace(text, m => $"{SayDecimal(m.Groups[1].Value)} percent");
        text = IsoDate().Replace(text, m => SayDate(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value) ?? m.Value);
        text = UsDate().Replace(text, m => SayDate(m.Groups[3].Value, m.Groups[1].Value, m.Groups[2].Value) ?? m.Value);
        text = Time().Replace(text, SayTime);
        text = Ordinal().Replace(text, m => long.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out long n) ? OrdinalWords(n) : m.Value);
        text = Unit().Replace(text, SayUnit);
        text = Number().Replace(text, SayNumber);
        return text;
    }

    /// <summary>"one hundred twenty-three"; negative numbers start with "minus".</summary>
    public static string Words(long number)
    {
        if (number < 0)
        {
            return "minus " + Words(-number);
        }
        if (number < 20)
        {
            return s_ones[number];
        }
        if (number < 100)
        {
            return s_tens[number / 10] + (number % 10 == 0 ? "" : "-" + s_ones[number % 10]);
        }
        if (number < 1000)
        {
            return s_ones[number / 100] + " hundred" + (number % 100 == 0 ? "" : " " + Words(number % 100));
        }
        foreach ((long value, string name) in s_scales)
        {
            if (number >= value)
            {
                return Words(number / value) + " " + name + (number % value == 0 ? "" : " " + Words(number % value));
            }
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>"first", "twenty-second", "one hundredth".</summary>
    public static string OrdinalWords(long number)
    {
        string words = Words(number);
        int split = Math.Max(words.LastIndexOf(' '), words.LastIndexOf('-')) + 1;
        string last = words[split..];
        string ordinal = last switch
        {
            "one" => "first", "two" => "second", "three" => "third", "five" => "fifth", "eight" => "eighth", "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return words[..split] + ordinal;
    }

    /// <summary>Years the way they are said: "nineteen ninety-nine", "two thousand five", "twenty twenty-six".</summary>
    public static string YearWords(int year)
    {
        if (year is >= 2000 and <= 2009)
        {
            return Words(year);
        }
        int high = year / 100, low = year % 100;
        return Words(high) + " " + (low == 0 ? "hundred" : low < 10 ? "oh " + Words(low) : Words(low));
    }

    private static string SayNumber(Match m)
    {
        string whole = m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal);
        bool negative = m.Value.StartsWith('-');
        if (!long.TryParse(whole, CultureInfo.InvariantCulture, out long value) || whole.Length > 15)
        {
            return string.Join(' ', m.Value.Where(char.IsDigit).Select(d => s_ones[d - '0'])); // too long: read digit by digit
        }
        string words = m.Groups[2].Success
            ? SayDecimal(whole + "." + m.Groups[2].Value)
            : !m.Groups[1].Value.Contains(',') && whole.Length == 4 && value is >= 1100 and <= 2099 ? YearWords((int)value) : Words(value);
        return negative ? "minus " + words : words;
    }

    private static string SayDecimal(string text)
    {
        int dot = text.IndexOf('.');
        if (dot < 0)
        {
            return long.TryParse(text, CultureInfo.InvariantCulture, out long n) ? Words(n) : text;
        }
        string whole = long.TryParse(text[..dot], CultureInfo.InvariantCulture, out long w) ? Words(w) : text[..dot];
        return whole + " point " + string.Join(' ', text[(dot + 1)..].Select(d => s_ones[d - '0']));
    }

    private static string SayCurrency(Match m)
    {
        var (major, majors, minor, minors) = s_currencies[m.Groups[1].Value];
        long units = long.Parse(m.Groups[2].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        int cents = m.Groups[3].Success ? int.Parse(m.Groups[3].Value.PadRight(2, '0'), CultureInfo.InvariantCulture) : 0;
        var spoken = new StringBuilder();
        if (units > 0 || cents == 0)
        {
            spoken.Append(Words(units)).Append(' ').Append(units == 1 ? major : majors);
        }
        if (cents > 0)
        {
            spoken.Append(units > 0 ? " and " : "").Append(Words(cents)).Append(' ').Append(cents == 1 ? minor : minors);
        }
        return spoken.ToString();
    }

    private static string? SayDate(string year, string month, string day)
    {
        int y = int.Parse(year, CultureInfo.InvariantCulture), mo = int.Parse(month, CultureInfo.InvariantCulture), d = int.Parse(day, CultureInfo.InvariantCulture);
        if (mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(Math.Clamp(y, 1, 9999), mo))
        {
            return null;
        }
        return $"{s_months[mo - 1]} {OrdinalWords(d)}, {YearWords(y)}";
    }

    private static string SayTime(Match m)
    {
        int hours = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), minutes = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (hours > 23 || minutes > 59)
        {
            return m.Value;
        }
        string spoken = minutes == 0 ? (m.Groups[3].Success ? Words(hours) : Words(hours) + " o'clock")
            : minutes < 10 ? $"{Words(hours)} oh {Words(minutes)}"
            : $"{Words(hours)} {Words(minutes)}";
        return m.Groups[3].Success ? $"{spoken} {char.ToLowerInvariant(m.Groups[3].Value[0])} m" : spoken;
    }

    private static string SayUnit(Match m)
    {
        (string singular, string plural) = s_units[m.Groups[2].Value];
        string number = m.Groups[1].Value;
        bool one = number is "1" or "1.0";
        return $"{(number.StartsWith('-') ? "minus " + SayDecimal(number[1..]) : SayDecimal(number))} {(one ? singular : plural)}";
    }
}
