using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Voxgate.Speech.Upstreams;

/// <summary>
/// Text an upstream provider sent (its error body, its error message, its status line), made fit to quote in our own
/// messages, which are logged and shown to the customer. A provider may echo the request back, the key in its
/// Authorization header included, so anything shaped like a key or token becomes <see cref="Redacted"/>; control
/// characters and line breaks become spaces (one log line stays one line); and the text is cut to
/// <see cref="MaxLength"/> characters, after redaction, so that cutting can never shorten a key below what is
/// recognised.
/// </summary>
public static partial class ProviderText
{
    public const int MaxLength = 200;

    public const string Redacted = "[redacted]";

    /// <summary>How much of a provider's text is looked at: far more than is kept, and bounded however much it sent.</summary>
    private const int Window = 4096;

    // Kept names (Bearer, api_key=) stay readable; only the secret after them goes. Long runs catch whatever else is
    // key-shaped: base64, base64url, hex and base62 keys are at least 32 characters, ordinary words far shorter.
    [GeneratedRegex("""
        (?<keep>\b(?i:bearer)\s+)[^\s"'<>,;]+
        |(?<keep>\b(?i:api[_-]?key|access[_-]?token|secret|password)\b["']?\s*[:=]\s*["']?)[^\s"'<>,;}]+
        |\bsk-[A-Za-z0-9_\-]{6,}
        |\beyJ[A-Za-z0-9_\-]{6,}(?:\.[A-Za-z0-9_\-]*){0,2}
        |[A-Za-z0-9+/_\-]{32,}=*
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture)]
    private static partial Regex Secret();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    /// <summary>The provider's text, one line, secrets redacted, at most <see cref="MaxLength"/> characters (then "...").</summary>
    public static string Quote(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        string flat = Spaces().Replace(Flatten(text.Length > Window ? text[..Window] : text), " ").Trim();
        string redacted = Secret().Replace(flat, "${keep}" + Redacted);
        if (redacted.Length <= MaxLength)
        {
            return redacted;
        }
        int cut = char.IsHighSurrogate(redacted[MaxLength - 1]) ? MaxLength - 1 : MaxLength; // never half a character
        return redacted[..cut].TrimEnd() + "...";
    }

    /// <summary>Control characters, line and paragraph separators and invisible format characters (bidi overrides) as spaces.</summary>
    private static string Flatten(string text)
    {
        var flat = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            flat.Append(char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator ? ' ' : c);
        }
        return flat.ToString();
    }
}
