using System.Globalization;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// The blend syntax of a single voice field, as Kokoro servers take it: <c>af_bella(2)+af_sky(1)</c> (weights in
/// parentheses, 1 when left out), the same as MiniMax's <c>timber_weights</c>.
/// </summary>
public static partial class VoiceBlend
{
    [GeneratedRegex(@"^\s*(?<name>[^()+\s]+)\s*(\(\s*(?<weight>[0-9]+(\.[0-9]+)?)\s*\))?\s*$")]
    private static partial Regex Part();

    /// <summary>
    /// The parts of a blend; false for a plain voice name (no <c>+</c> and no weight).
    /// </summary>
    /// <exception cref="SpeechRequestException">It looks like a blend but a part is malformed.</exception>
    public static bool TryParse(string voice, string parameter, out IReadOnlyList<VoiceWeight> mix)
    {
        mix = [];
        if (!voice.Contains('+') && !voice.Contains('('))
        {
            return false;
        }
        var parts = new List<VoiceWeight>();
        foreach (string text in voice.Split('+'))
        {
            Match match = Part().Match(text);
            if (!match.Success)
            {
                throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, parameter,
                    $"'{voice}' is not a voice blend; write voices joined by '+', each with an optional weight: af_bella(2)+af_sky(1).");
            }
            double weight = match.Groups["weight"].Success ? double.Parse(match.Groups["weight"].Value, CultureInfo.InvariantCulture) : 1;
            if (weight <= 0)
            {
                throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, parameter, $"The weight of '{match.Groups["name"].Value}' must be positive.");
            }
            parts.Add(new VoiceWeight(match.Groups["name"].Value, weight));
        }
        mix = parts;
        return true;
    }
}
