using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Numbers that name something rather than count it, read as people say them:
/// <list type="bullet">
/// <item>after a word that labels things by number (Flight, Room, Gate, Platform, Suite, Apt., Route, Highway, Model,
/// Boeing, an airline's code: UA 1472), a number of three or four digits in pairs: Flight 1472 → "fourteen
/// seventy-two", Room 1204 → "twelve oh four", Room 305 → "three oh five" (<see cref="NumberWords.Pairs"/>); one or
/// two digits stay cardinals (Gate 7);</item>
/// <item>a US ZIP code, five digits (and ZIP+4) after a state's two-letter code, its name (Colorado 80202, New York
/// 10001: the name's last word) or "ZIP": digit by digit with zero as "oh", the +4 after a pause: IL 62701 → "six
/// two seven oh one";</item>
/// <item>a US service number (211, 311, ... 911) after dial, call or text, and 911 anywhere but after a car's make
/// (a Porsche 911 is a "nine eleven"): digit by digit, "nine one one";</item>
/// <item>an SMS short code, four to six digits after "to" in a sentence that says text, txt or SMS ("text STOP to
/// 55123" → "five five one two three"), and three to six digits after "code" or "PIN" (area code 415, error
/// code 404, PIN 0042): digit by digit.</item>
/// </list>
/// A label in the plural (Rooms 101-105) counts, so the numbers after it stay cardinals.
/// </summary>
public sealed partial class IdentifierReader : ITokenReader
{
    private static readonly HashSet<string> s_labels = new(StringComparer.OrdinalIgnoreCase)
    {
        "flight", "room", "rm", "gate", "platform", "suite", "ste", "apartment", "apt", "route", "highway", "hwy",
        "interstate", "model", "exit", "pier", "locker", "channel", "Boeing", "box",
    };

    /// <summary>Airlines' two-character codes that are often written before a flight's number (UA 1472).</summary>
    private static readonly HashSet<string> s_airlines = new(StringComparer.Ordinal)
    {
        "AA", "UA", "DL", "WN", "AS", "B6", "NK", "F9", "BA", "AF", "LH", "KL", "EK", "QF", "AC", "VS", "EI", "IB", "LX",
        "SQ", "CX", "JL", "NH", "TK", "QR", "EY",
    };

    /// <summary>The US states', territories' and DC's postal codes.</summary>
    private static readonly HashSet<string> s_states = new(StringComparer.Ordinal)
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
        "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
        "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
    };

    /// <summary>The last words of the states' names (New York, North Carolina: York, Carolina) and DC's.</summary>
    private static readonly HashSet<string> s_stateNames = new(StringComparer.Ordinal)
    {
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
        "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
        "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
        "Hampshire", "Jersey", "Mexico", "York", "Carolina", "Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
        "Island", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "Wisconsin", "Wyoming", "Columbia",
        "Rico",
    };

    private static readonly HashSet<string> s_beforeServiceNumber = new(StringComparer.OrdinalIgnoreCase) { "dial", "dialed", "dialing", "call", "called", "calling", "calls", "text", "texted" };

    private static readonly HashSet<string> s_carMakes = new(StringComparer.OrdinalIgnoreCase) { "Porsche", "Peugeot" };

    private static readonly HashSet<string> s_beforeZip = new(StringComparer.OrdinalIgnoreCase) { "zip", "zipcode" };

    private static readonly HashSet<string> s_beforeCode = new(StringComparer.OrdinalIgnoreCase) { "code", "pin" };

    [GeneratedRegex(@"\G\d+(?![\p{L}\p{N}]|[.,:/]\d|\s?[-–]\s?\d|%)")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\G(?<zip>\d{5})(?:-(?<plus>\d{4}))?(?![\p{L}\p{N}]|[.,:/-]\d)")]
    private static partial Regex Zip();

    [GeneratedRegex(@"\b(?:text|txt|texting|sms)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TextMessage();

    public TokenKind Kind => TokenKind.Identifier;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiDigit(text[start]) || (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '-' or '.' or '/' or ',' or '$')))
        {
            return false;
        }
        string previous = context.WordBeforeAbbreviation(start) ?? "";
        Match zip = Zip().Match(text, start);
        if (zip.Success && (s_states.Contains(previous) || s_stateNames.Contains(previous) || s_beforeZip.Contains(previous)))
        {
            string spoken = NumberWords.Digits(zip.Groups["zip"].Value, oh: true)
                + (zip.Groups["plus"].Success ? ", " + NumberWords.Digits(zip.Groups["plus"].Value, oh: true) : "");
            reading = new TokenReading(zip.Length, spoken, IsNumber: false);
            return true;
        }
        Match digits = Digits().Match(text, start);
        if (!digits.Success)
        {
            return false;
        }
        int length = digits.Length;
        if (length == 3 && digits.Value[0] != '1' && digits.Value[1..] == "11"
            && (s_beforeServiceNumber.Contains(previous) || (digits.Value == "911" && !s_carMakes.Contains(previous))))
        {
            reading = new TokenReading(length, NumberWords.Digits(digits.Value, oh: true), IsNumber: false);
            return true;
        }
        if (length is >= 3 and <= 4 && (s_labels.Contains(previous) || s_airlines.Contains(previous)))
        {
            reading = new TokenReading(length, NumberWords.Pairs(digits.Value), IsNumber: false);
            return true;
        }
        bool shortCode = length >= 4 && previous is "to" or "To" && TextMessage().IsMatch(SentenceBefore(text, start));
        if (length is >= 3 and <= 6 && (shortCode || s_beforeCode.Contains(previous)))
        {
            reading = new TokenReading(length, NumberWords.Digits(digits.Value, oh: true), IsNumber: false);
            return true;
        }
        return false;
    }

    /// <summary>The sentence's text before a position.</summary>
    private static string SentenceBefore(string text, int start) =>
        text[(text.LastIndexOfAny(['.', '!', '?', '\n'], start - 1) + 1)..start];
}
