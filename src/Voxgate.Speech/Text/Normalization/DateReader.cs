using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Dates in the common written orders. Month first (March 3, 1998; Mar. 3rd; March 3-5) is read month first with the
/// day as an ordinal ("March third, nineteen ninety-eight"); day first (3 March 1998, 3rd of March) is read "the
/// third of March, nineteen ninety-eight". Numeric dates: ISO (2024-03-05) and dotted (5.3.2024, always day first)
/// are unambiguous; slashed dates (03/05/2024) follow <see cref="EnglishReadingOptions.DateOrder"/> (US month first
/// by default) unless only one order is a real date (25/12/2024). Numeric dates are said in the deployment's order's
/// style. An impossible date (2024-13-45) is not a date.
/// </summary>
public sealed partial class DateReader : ITokenReader
{
    private static readonly string[] s_months =
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ];

    private const string Month = @"(?<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)";

    private const string Day = @"(?<day>[0-3]?\d)(?:st|nd|rd|th)?";

    private const string DayTo = @"(?:\s?[-–]\s?(?<dayTo>[0-3]?\d)(?:st|nd|rd|th)?)?";

    [GeneratedRegex(@"\G" + Month + @"\.?\s" + Day + DayTo + @"(?:,?\s(?<year>\d{4}))?(?![\p{L}\p{N}]|[.,:]\d)")]
    private static partial Regex MonthFirst();

    [GeneratedRegex(@"\G" + Day + DayTo + @"\s(?:of\s)?" + Month + @"\.?(?:,?\s(?<year>\d{4}))?(?![\p{L}\p{N}]|[.,]\d)")]
    private static partial Regex DayFirst();

    [GeneratedRegex(@"\G(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})(?![\p{L}\p{N}]|[-.]\d)")]
    private static partial Regex Iso();

    [GeneratedRegex(@"\G(?<a>\d{1,2})/(?<b>\d{1,2})/(?<year>\d{4}|\d{2})(?![\p{L}\p{N}/]|[.,]\d)")]
    private static partial Regex Slashed();

    [GeneratedRegex(@"\G(?<day>\d{1,2})\.(?<month>\d{1,2})\.(?<year>\d{4})(?![\p{L}\p{N}]|\.\d)")]
    private static partial Regex Dotted();

    public TokenKind Kind => TokenKind.Date;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '/' or '-' or '.'))
        {
            return false;
        }
        bool dayFirstStyle = context.Options.DateOrder == NumericDateOrder.DayMonthYear;
        string? spoken = null;
        Match match;
        if (char.IsAsciiLetterUpper(first))
        {
            match = MonthFirst().Match(text, start);
            if (match.Success)
            {
                spoken = Say(MonthNumber(match.Groups["month"].Value), Int(match.Groups["day"]), IntOrNull(match.Groups["dayTo"]), YearOrNull(match), dayFirst: false);
            }
        }
        else if (char.IsAsciiDigit(first))
        {
            match = Iso().Match(text, start);
            if (match.Success)
            {
                spoken = Say(Int(match.Groups["month"]), Int(match.Groups["day"]), null, Int(match.Groups["year"]), dayFirstStyle);
            }
            else if ((match = Slashed().Match(text, start)).Success)
            {
                (int month, int day) = SlashedOrder(Int(match.Groups["a"]), Int(match.Groups["b"]), dayFirstStyle);
                spoken = Say(month, day, null, Int(match.Groups["year"]), dayFirstStyle, twoDigitYear: match.Groups["year"].Length == 2);
            }
            else if ((match = Dotted().Match(text, start)).Success)
            {
                spoken = Say(Int(match.Groups["month"]), Int(match.Groups["day"]), null, Int(match.Groups["year"]), dayFirst: true);
            }
            else if ((match = DayFirst().Match(text, start)).Success)
            {
                spoken = Say(MonthNumber(match.Groups["month"].Value), Int(match.Groups["day"]), IntOrNull(match.Groups["dayTo"]), YearOrNull(match), dayFirst: true);
                if (spoken is not null && context.PreviousWord(start) is { Word: "the" or "The" })
                {
                    spoken = spoken["the ".Length..]; // "the 3rd of March": the caller wrote the article
                }
            }
        }
        else
        {
            return false;
        }
        if (spoken is null)
        {
            return false;
        }
        reading = new TokenReading(match.Length, spoken, IsNumber: false);
        return true;
    }

    /// <summary>A date read aloud, or null when it is not a real date.</summary>
    public static string? Say(int month, int day, int? dayTo, int? year, bool dayFirst, bool twoDigitYear = false)
    {
        int checkYear = year is null or < 1 or > 9999 || twoDigitYear ? 2000 : year.Value; // 2000 is a leap year: 29 February passes
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(checkYear, month) || (dayTo is { } to && (to <= day || to > 31)))
        {
            return null;
        }
        string days = NumberWords.Ordinal(day) + (dayTo is { } last ? " to " + NumberWords.Ordinal(last) : "");
        string date = dayFirst ? $"the {days} of {s_months[month - 1]}" : $"{s_months[month - 1]} {days}";
        if (year is null)
        {
            return date;
        }
        string yearWords = twoDigitYear ? (year < 10 ? "oh " + NumberWords.Cardinal(year.Value) : NumberWords.Cardinal(year.Value)) : NumberWords.Year(year.Value);
        return $"{date}, {yearWords}";
    }

    /// <summary>Month and day of a slashed date: the deployment's order unless only the other one is a date.</summary>
    private static (int Month, int Day) SlashedOrder(int a, int b, bool dayFirst)
    {
        if (dayFirst)
        {
            return a > 12 || b > 12 ? (b <= 12 ? (b, a) : (a, b)) : (b, a);
        }
        return a > 12 && b <= 12 ? (b, a) : (a, b);
    }

    /// <summary>1..12 for a month's name or its abbreviation.</summary>
    public static int MonthNumber(string name) =>
        Array.FindIndex(s_months, m => m.StartsWith(name[..3], StringComparison.Ordinal)) + 1;

    public static string MonthName(int month) => s_months[month - 1];

    private static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    private static int? IntOrNull(Group group) => group.Success ? Int(group) : null;

    private static int? YearOrNull(Match match) => IntOrNull(match.Groups["year"]);
}
