using System.Globalization;
using System.Text.RegularExpressions;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Text;

/// <summary>
/// MiniMax's inline pause markers, <c>&lt;#x#&gt;</c> with x in seconds (0.01 to 99.99): the text between them is spoken,
/// the markers become silence of that length. Every surface honours them, as they are part of the text.
/// </summary>
public static partial class PauseMarkers
{
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(0.01);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(99.99);

    [GeneratedRegex(@"<#\s*([0-9]+(?:\.[0-9]+)?)\s*#>")]
    private static partial Regex Marker();

    /// <summary>Splits text into spoken pieces and pauses, in order.</summary>
    /// <exception cref="SpeechRequestException">A marker asks for a pause outside 0.01-99.99 s.</exception>
    public static List<(string Text, TimeSpan Pause)> Split(string text)
    {
        var pieces = new List<(string, TimeSpan)>();
        int position = 0;
        foreach (Match match in Marker().Matches(text))
        {
            double seconds = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var pause = TimeSpan.FromSeconds(seconds);
            if (pause < Shortest || pause > Longest)
            {
                throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "input",
                    $"The pause marker {match.Value} asks for {seconds} s; pauses are 0.01 to 99.99 seconds.");
            }
            pieces.Add((text[position..match.Index], TimeSpan.Zero));
            pieces.Add(("", pause));
            position = match.Index + match.Length;
        }
        pieces.Add((text[position..], TimeSpan.Zero));
        return pieces;
    }
}
