using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text;

/// <summary>
/// MiniMax's interjection tags (speech-2.8): <c>(laughs)</c>, <c>(sighs)</c>, <c>(breath)</c>, ... written inline, which
/// MiniMax's models perform as sounds. Local engines cannot laugh or sigh, and reading the word aloud ("laughs") is
/// never what the caller meant, so each becomes a short pause, the room the sound would take. Only the exact,
/// lower-case tags MiniMax documents are taken; any other word in parentheses stays text.
/// </summary>
/// <remarks>
/// The list is MiniMax's T2A reference (19 tags), plus <c>(whistles)</c>, <c>(crying)</c> and <c>(applause)</c>,
/// which a reference checked against the live API adds (docs/api.md). The caller's text is billed as sent, tags
/// included, and a provider receives it unchanged.
/// </remarks>
public static partial class InterjectionTags
{
    /// <summary>The pause a tag becomes: about a breath, shorter than a sentence's end.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(0.4);

    public static readonly IReadOnlyList<string> Names =
    [
        "laughs", "chuckle", "coughs", "clear-throat", "groans", "breath", "pant", "inhale", "exhale", "gasps", "sniffs",
        "sighs", "snorts", "burps", "lip-smacking", "humming", "hissing", "emm", "sneezes", "whistles", "crying", "applause",
    ];

    // The same names as Names.
    [GeneratedRegex(@"\((?:laughs|chuckle|coughs|clear-throat|groans|breath|pant|inhale|exhale|gasps|sniffs|sighs|snorts|burps|lip-smacking|humming|hissing|emm|sneezes|whistles|crying|applause)\)")]
    public static partial Regex Tag();
}
