using System.Globalization;
using System.Text.RegularExpressions;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Text;

/// <summary>
/// MiniMax's inline pause markers, <c>&lt;#x#&gt;</c> with x in seconds (0.01 to 99.99): the text between them is spoken,
/// the markers become silence of that length. Every surface honours them, as they are part of the text.
/// </summary>
/// <remarks>
/// x is a plain decimal number (digits, optionally a point and more digits), with optional whitespace around it.
/// Anything else that looks like a marker is refused rather than spoken: <c>&lt;#</c>, a body of at most
/// <see cref="LongestMalformedBody"/> characters on one line without <c>#</c>, <c>&lt;</c> or <c>&gt;</c>, then
/// <c>#&gt;</c> (<c>&lt;#-1#&gt;</c>, <c>&lt;#NaN#&gt;</c>, <c>&lt;#1e2#&gt;</c>, <c>&lt;#1,5#&gt;</c>, <c>&lt;# #&gt;</c>,
/// <c>&lt;##&gt;</c>). A caller who wrote one meant a pause, and reading the marker aloud is never what they wanted. A
/// longer body is more likely prose that happens to sit between the two pairs of characters, so it stays text, as do
/// <c>&lt;#</c> or <c>#&gt;</c> alone (<c>C&lt;#&gt;</c>, <c>a &lt;# b</c>).
/// </remarks>
public static partial class PauseMarkers
{
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(0.01);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(99.99);

    /// <summary>
    /// The longest body that is still taken for a marker attempt: over twice the longest usual one with spaces
    /// (<c> 99.99 </c>), room for <c>1.5 seconds</c> or <c>-Infinity</c>.
    /// </summary>
    public const int LongestMalformedBody = 16;

    // The valid form comes first, so a well-formed marker of any length is never taken for a malformed one;
    // {0,16} is LongestMalformedBody.
    [GeneratedRegex(@"<#\s*(?<seconds>[0-9]+(?:\.[0-9]+)?)\s*#>|<#[^#<>\r\n]{0,16}#>")]
    private static partial Regex Marker();

    /// <summary>
    /// Splits text into spoken pieces and pauses, in order: the pause markers, and MiniMax's interjection tags
    /// (<see cref="InterjectionTags"/>), which become short pauses.
    /// </summary>
    /// <exception cref="SpeechRequestException">A marker is not a number of seconds, or asks for a pause outside 0.01-99.99 s.</exception>
    public static List<(string Text, TimeSpan Pause)> Split(string text) => [.. SplitAt(text).Select(p => (p.Text, p.Pause))];

    /// <summary>As <see cref="Split"/>, with where each piece starts in <paramref name="text"/> (a pause: where its marker starts).</summary>
    public static List<(string Text, TimeSpan Pause, int Start)> SplitAt(string text)
    {
        var pieces = new List<(string, TimeSpan, int)>();
        int position = 0;
        foreach (Match match in Marker().Matches(text))
        {
            AddSpoken(pieces, text[position..match.Index], position);
            pieces.Add(("", Pause(match), match.Index));
            position = match.Index + match.Length;
        }
        AddSpoken(pieces, text[position..], position);
        return pieces;
    }

    private static void AddSpoken(List<(string, TimeSpan, int)> pieces, string text, int offset)
    {
        int position = 0;
        foreach (Match tag in InterjectionTags.Tag().Matches(text))
        {
            pieces.Add((text[position..tag.Index], TimeSpan.Zero, offset + position));
            pieces.Add(("", InterjectionTags.Pause, offset + tag.Index));
            position = tag.Index + tag.Length;
        }
        pieces.Add((text[position..], TimeSpan.Zero, offset + position));
    }

    private static TimeSpan Pause(Match marker)
    {
        Group number = marker.Groups["seconds"];
        if (!number.Success)
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "input",
                $"The pause marker {marker.Value} is not a number of seconds; write <#x#> with x from 0.01 to 99.99 in digits with a decimal point, such as <#1.5#>.");
        }
        double seconds = double.Parse(number.Value, CultureInfo.InvariantCulture);
        // Compared before the conversion: a huge number would overflow TimeSpan.
        if (seconds < Shortest.TotalSeconds || seconds > Longest.TotalSeconds)
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "input",
                $"The pause marker {marker.Value} asks for {seconds.ToString(CultureInfo.InvariantCulture)} s; pauses are 0.01 to 99.99 seconds.");
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
