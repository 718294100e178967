using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Clock times: 7:45 pm → "seven forty-five P M", 10:30 → "ten thirty", 06:05 → "six oh five", 7:00 → "seven
/// o'clock", 7 pm → "seven P M", 18:00 → "eighteen hundred", 10:30:15 → "ten thirty and fifteen seconds".
/// A.M. and P.M. are written as capital letters so that every engine says the letters' names; so is a time zone's
/// abbreviation after a time (5 pm EST → "five P M E S T", 14:00 UTC → "fourteen hundred U T C"), except the four
/// two-letter US zones, which people say by name (9 a.m. ET → "nine A M Eastern Time", PT → "Pacific Time"). A zone
/// is read only after a time: alone, EST or PT may be something else. A time joins a range like a number
/// (9am-5pm → "nine A M to five P M").
/// </summary>
public sealed partial class TimeReader : ITokenReader
{
    private const string Meridiem = @"(?:\s?(?<meridiem>[AaPp])\.?\s?[Mm](?<period>\.)?(?![\p{L}\p{N}]))";

    private const string Zone = @"(?:\s(?<zone>EST|EDT|ET|CST|CDT|CT|MST|MDT|MT|PST|PDT|PT|AKST|AKDT|HST|GMT|UTC|BST|CET|CEST|EET|WET|IST|JST|AEST|AEDT)(?![\p{L}\p{N}]))?";

    [GeneratedRegex(@"\G(?<hours>\d{1,2}):(?<minutes>\d{2})(?::(?<seconds>\d{2}))?" + Meridiem + @"?(?![\p{N}]|[:.,]\d)" + Zone)]
    private static partial Regex Clock();

    [GeneratedRegex(@"\G(?<hours>\d{1,2})" + Meridiem + Zone)]
    private static partial Regex HourOnly();

    public TokenKind Kind => TokenKind.Time;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is ':' or '.' or ',')))
        {
            return false;
        }
        Match match = Clock().Match(text, start);
        if (!match.Success)
        {
            match = HourOnly().Match(text, start);
        }
        if (!match.Success)
        {
            return false;
        }
        int hours = Parse(match.Groups["hours"]), minutes = Parse(match.Groups["minutes"]), seconds = Parse(match.Groups["seconds"]);
        char? meridiem = match.Groups["meridiem"].Success ? char.ToUpperInvariant(match.Groups["meridiem"].Value[0]) : null;
        string? spoken = Say(hours, minutes, match.Groups["seconds"].Success ? seconds : null, meridiem);
        if (spoken is null)
        {
            return false;
        }
        Group zone = match.Groups["zone"];
        bool keepPeriod = match.Groups["period"].Success && !zone.Success && context.PeriodEndsSentence(start + match.Length);
        reading = new TokenReading(match.Length, spoken + (zone.Success ? " " + SayZone(zone.Value) : "") + (keepPeriod ? "." : ""), IsNumber: !keepPeriod);
        return true;
    }

    /// <summary>A time read aloud, or null when it is not a time of day.</summary>
    public static string? Say(int hours, int minutes, int? seconds, char? meridiem)
    {
        if (hours > (meridiem is null ? 23 : 12) || minutes > 59 || seconds > 59 || (meridiem is not null && hours == 0))
        {
            return null;
        }
        string hour = NumberWords.Cardinal(hours);
        string spoken = minutes switch
        {
            0 when meridiem is not null => hour,
            0 when hours is >= 1 and <= 12 => hour + " o'clock",
            0 => hour + " hundred",
            < 10 => $"{hour} oh {NumberWords.Cardinal(minutes)}",
            _ => $"{hour} {NumberWords.Cardinal(minutes)}",
        };
        if (seconds is { } s)
        {
            spoken += $" and {NumberWords.Cardinal(s)} {(s == 1 ? "second" : "seconds")}";
        }
        return meridiem is { } m ? $"{spoken} {m} M" : spoken;
    }

    /// <summary>A zone's abbreviation as said: the two-letter US zones by name, the others letter by letter.</summary>
    private static string SayZone(string zone) => zone switch
    {
        "ET" => "Eastern Time",
        "CT" => "Central Time",
        "MT" => "Mountain Time",
        "PT" => "Pacific Time",
        _ => UrlReader.Spell(zone),
    };

    private static int Parse(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
}
