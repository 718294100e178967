using System.Globalization;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Numbers in English words, the vocabulary every reader shares: cardinals ("one hundred twenty-three", American:
/// no "and"), ordinals, years, digit strings, decimals, and the plural ordinals of fractions.
/// </summary>
public static class NumberWords
{
    private static readonly string[] s_ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] s_tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly (long Value, string Name)[] s_scales =
    [
        (1_000_000_000_000_000, "quadrillion"), (1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"),
    ];

    /// <summary>Longest run of digits read as one number; longer ones are read digit by digit.</summary>
    public const int LongestCardinal = 15;

    /// <summary>"one hundred twenty-three"; negative numbers start with "minus".</summary>
    public static string Cardinal(long number)
    {
        if (number < 0)
        {
            return "minus " + Cardinal(-number);
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
            return s_ones[number / 100] + " hundred" + (number % 100 == 0 ? "" : " " + Cardinal(number % 100));
        }
        foreach ((long value, string name) in s_scales)
        {
            if (number >= value)
            {
                return Cardinal(number / value) + " " + name + (number % value == 0 ? "" : " " + Cardinal(number % value));
            }
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>"first", "twenty-second", "one hundredth".</summary>
    public static string Ordinal(long number)
    {
        string words = Cardinal(number);
        int split = Math.Max(words.LastIndexOf(' '), words.LastIndexOf('-')) + 1;
        string last = words[split..];
        string ordinal = last switch
        {
            "one" => "first",
            "two" => "second",
            "three" => "third",
            "five" => "fifth",
            "eight" => "eighth",
            "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return words[..split] + ordinal;
    }

    /// <summary>A fraction's denominator: "half"/"halves", "quarter"/"quarters", else the ordinal ("thirds").</summary>
    public static string Denominator(long denominator, bool plural) => denominator switch
    {
        2 => plural ? "halves" : "half",
        4 => plural ? "quarters" : "quarter",
        _ => Ordinal(denominator).Replace("one hundredth", "hundredth", StringComparison.Ordinal)
            .Replace("one thousandth", "thousandth", StringComparison.Ordinal) + (plural ? "s" : ""),
    };

    /// <summary>
    /// Years as they are said: "nineteen ninety-eight", "nineteen oh five", "nineteen hundred", "two thousand five",
    /// "twenty twenty-four". Outside 1000..9999 (and for 2000..2009 and x000) the cardinal.
    /// </summary>
    public static string Year(int year)
    {
        if (year < 1000 || year > 9999 || year % 1000 == 0 || year is >= 2000 and <= 2009)
        {
            return Cardinal(year);
        }
        int high = year / 100, low = year % 100;
        return Cardinal(high) + " " + (low == 0 ? "hundred" : low < 10 ? "oh " + Cardinal(low) : Cardinal(low));
    }

    /// <summary>A decade: "nineteen nineties", "two thousands", "nineteen hundreds", "twenty tens"; 2 digits: "nineties".</summary>
    public static string Decade(int decade)
    {
        if (decade < 100)
        {
            return Plural(Cardinal(decade));
        }
        if (decade % 1000 == 0)
        {
            return Cardinal(decade) + "s";
        }
        string year = Year(decade);
        return year.EndsWith("hundred", StringComparison.Ordinal) ? year + "s" : Plural(year);
    }

    /// <summary>"twenty" → "twenties", "ten" → "tens", "six" → "sixes".</summary>
    public static string Plural(string words) =>
        words.EndsWith('y') ? words[..^1] + "ies" : words.EndsWith('x') ? words + "es" : words + "s";

    /// <summary>
    /// A number that names something rather than counts it (Flight 1472, Room 1204, 1600 Pennsylvania Avenue), in
    /// pairs as such numbers are said: "fourteen seventy-two", "twelve oh four", "sixteen hundred", "three oh five",
    /// "two ten"; a round thousand is "two thousand". One or two digits are the cardinal; a leading zero or more than
    /// four digits, digit by digit with zero as "oh".
    /// </summary>
    public static string Pairs(string digits)
    {
        if (digits.Length > 4 || (digits.Length > 1 && digits[0] == '0'))
        {
            return Digits(digits, oh: true);
        }
        int value = int.Parse(digits, CultureInfo.InvariantCulture);
        if (digits.Length <= 2 || value % 1000 == 0)
        {
            return Cardinal(value);
        }
        int high = value / 100, low = value % 100;
        return Cardinal(high) + " " + (low == 0 ? "hundred" : low < 10 ? "oh " + Cardinal(low) : Cardinal(low));
    }

    /// <summary>Each digit in turn: "five five five"; with <paramref name="oh"/>, zero is "oh" (telephone numbers).</summary>
    public static string Digits(ReadOnlySpan<char> digits, bool oh = false)
    {
        var words = new List<string>(digits.Length);
        foreach (char c in digits)
        {
            if (char.IsAsciiDigit(c))
            {
                words.Add(c == '0' && oh ? "oh" : s_ones[c - '0']);
            }
        }
        return string.Join(' ', words);
    }

    /// <summary>
    /// A number as written ("1,234", "3.14", ".5", "007"): a cardinal, with its decimals digit by digit after
    /// "point"; a whole number written with a leading zero, or longer than <see cref="LongestCardinal"/> digits,
    /// digit by digit.
    /// </summary>
    public static string Number(string written)
    {
        int dot = written.IndexOf('.');
        string whole = (dot < 0 ? written : written[..dot]).Replace(",", "", StringComparison.Ordinal);
        string? fraction = dot < 0 ? null : written[(dot + 1)..];
        string wholeWords = whole.Length == 0 ? ""
            : whole.Length > LongestCardinal || (whole.Length > 1 && whole[0] == '0' && fraction is null) ? Digits(whole)
            : Cardinal(long.Parse(whole, CultureInfo.InvariantCulture));
        if (fraction is null)
        {
            return wholeWords;
        }
        return (wholeWords.Length == 0 ? "" : wholeWords + " ") + "point " + Digits(fraction);
    }

    /// <summary>The value of a whole number as written ("1,200"), or null when it is not one or too long.</summary>
    public static long? WholeValue(string written)
    {
        string digits = written.Replace(",", "", StringComparison.Ordinal);
        return digits.Length is > 0 and <= LongestCardinal && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value : null;
    }
}
