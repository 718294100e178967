namespace Voxgate.Speech.Text.Ssml;

/// <summary>
/// An SSML document read into what is spoken, in order: stretches of text with their style and special reading,
/// breaks, and sentence or paragraph boundaries (<see cref="SsmlParser"/>). Markup is gone; what is left maps onto
/// the canonical request's segments (<see cref="SsmlTextPreparer"/>).
/// </summary>
public sealed record SsmlDocument(IReadOnlyList<SsmlNode> Nodes, string? Language)
{
    /// <summary>
    /// True when the input is an SSML document: <c>&lt;speak</c> first, after optional whitespace, a byte-order mark
    /// and an XML declaration. Anything else is plain text, so no request that worked before SSML changes meaning.
    /// A <c>&lt;!DOCTYPE speak</c> there counts too, so that a document declaring entities is refused as SSML
    /// (<see cref="SsmlParser"/>) rather than read aloud as text.
    /// </summary>
    public static bool IsSsml(string input)
    {
        ReadOnlySpan<char> text = input.AsSpan().TrimStart().TrimStart('\uFEFF').TrimStart();
        if (text.StartsWith("<?xml", StringComparison.Ordinal))
        {
            int end = text.IndexOf("?>", StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }
            text = text[(end + 2)..].TrimStart();
        }
        if (text.StartsWith("<!DOCTYPE", StringComparison.Ordinal))
        {
            return text[9..].TrimStart().StartsWith("speak", StringComparison.Ordinal);
        }
        return text.StartsWith("<speak", StringComparison.Ordinal) && text.Length > 6 && (text[6] is '>' or '/' || char.IsWhiteSpace(text[6]));
    }
}

/// <summary>One thing an SSML document says, in document order.</summary>
public abstract record SsmlNode;

/// <summary>Text to speak (an XML text node, or a whole <c>say-as</c>, <c>sub</c> or <c>phoneme</c> element's text).</summary>
/// <param name="Reading">How it is read when not as ordinary text.</param>
public sealed record SsmlText(string Text, SegmentStyle Style, SsmlReading? Reading = null) : SsmlNode;

/// <summary>Silence (<c>&lt;break&gt;</c>).</summary>
public sealed record SsmlBreak(TimeSpan Pause) : SsmlNode;

/// <summary>The start or end of a sentence (<c>&lt;s&gt;</c>) or paragraph (<c>&lt;p&gt;</c>).</summary>
public sealed record SsmlBoundary(bool Paragraph) : SsmlNode;

/// <summary>A special reading of an element's text.</summary>
public abstract record SsmlReading;

/// <summary><c>&lt;say-as interpret-as&gt;</c>, its value in lower case.</summary>
public sealed record SayAs(string InterpretAs) : SsmlReading;

/// <summary><c>&lt;sub alias&gt;</c>: the alias is spoken instead of the text.</summary>
public sealed record Substitute(string Alias) : SsmlReading;

/// <summary><c>&lt;phoneme&gt;</c>, its pronunciation converted to IPA.</summary>
public sealed record Phoneme(PhoneticSpelling Spelling) : SsmlReading;
