using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Text.Ssml;

/// <summary>
/// Reads an SSML document (<see cref="SsmlDocument.IsSsml"/>) into an <see cref="SsmlDocument"/>. The XML is read
/// with DTDs prohibited and no resolver, so entity expansion (billion laughs) and external entities (XXE) are refused
/// before anything is expanded or fetched; a malformed document is refused naming its line and column. Elements are
/// bounded (<see cref="MaxElements"/>, <see cref="MaxDepth"/>); an element this server does not know is read as its
/// text content.
/// </summary>
public static partial class SsmlParser
{
    /// <summary>The most elements a document may hold (the surfaces' length limits bound it too).</summary>
    public const int MaxElements = 1_000;

    /// <summary>The deepest nesting of elements, the root counting as one.</summary>
    public const int MaxDepth = 32;

    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>The say-as values read through the English front-end, or spelt out.</summary>
    public static IReadOnlyList<string> InterpretAs { get; } =
        ["characters", "spell-out", "cardinal", "number", "ordinal", "digits", "date", "time", "telephone", "currency", "fraction", "unit"];

    [GeneratedRegex(@"\s*Line \d+, position \d+\.\s*$")]
    private static partial Regex Position();

    /// <exception cref="SpeechRequestException">The document is malformed, declares a DTD, exceeds the bounds, or has an attribute it cannot read.</exception>
    public static SsmlDocument Parse(string input)
    {
        // XML allows nothing before its declaration; the detection allows whitespace and a byte-order mark there.
        string trimmed = input.TrimStart().TrimStart('\uFEFF').TrimStart();
        string skipped = input[..(input.Length - trimmed.Length)];
        int skippedLines = skipped.Count(c => c == '\n');
        int skippedColumns = skippedLines == 0 ? skipped.Length : skipped.Length - skipped.LastIndexOf('\n') - 1;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersFromEntities = 1024,
        };
        using var reader = XmlReader.Create(new StringReader(trimmed), settings);
        var walk = new Walk(reader, (line, column) => line == 1 ? (line + skippedLines, column + (skippedLines == 0 ? skippedColumns : 0)) : (line + skippedLines, column));
        try
        {
            return walk.Run();
        }
        catch (XmlException ex)
        {
            // A prohibited DTD is reported without a position: it is where the DOCTYPE starts.
            (int atLine, int atColumn) = ex.LineNumber > 0 ? (ex.LineNumber, ex.LinePosition) : LineAndColumn(trimmed, trimmed.IndexOf("<!DOCTYPE", StringComparison.Ordinal));
            (int line, int column) = walk.Position(atLine, atColumn);
            string reason = ex.Message.Contains("DTD", StringComparison.Ordinal)
                ? "SSML documents may not declare a DOCTYPE or entities."
                : Position().Replace(ex.Message, "");
            throw Malformed(line, column, reason);
        }
    }

    /// <summary>The 1-based line and column of a UTF-16 offset (0, 0 for none).</summary>
    private static (int, int) LineAndColumn(string text, int offset)
    {
        if (offset < 0)
        {
            return (0, 0);
        }
        int lineStart = text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        return (text.AsSpan(0, offset).Count('\n') + 1, offset - lineStart + 1);
    }

    private static SpeechRequestException Malformed(int line, int column, string reason) =>
        new(SpeechErrorKind.InvalidParameter, "input", $"The SSML document is malformed at line {line}, column {column}: {reason}");

    /// <summary>An element being read: the style inside it, and what it collects or ends.</summary>
    private sealed record Frame(string Name, SegmentStyle Style, Collector? Collector, bool Owner, bool Boundary, bool Paragraph);

    /// <summary>The text of a say-as, sub or phoneme, gathered whole (elements inside it are read as their text).</summary>
    private sealed class Collector(SsmlReading? reading)
    {
        public StringBuilder Text { get; } = new();

        public SsmlReading? Reading { get; } = reading;
    }

    private sealed class Walk(XmlReader reader, Func<int, int, (int, int)> position)
    {
        private readonly List<SsmlNode> _nodes = [];
        private readonly Stack<Frame> _frames = new();
        private string? _language;
        private int _elements;

        public (int Line, int Column) Position(int line, int column) => position(line, column);

        public SsmlDocument Run()
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        Element();
                        break;
                    case XmlNodeType.EndElement:
                        End(_frames.Pop());
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        Text(reader.Value);
                        break;
                }
            }
            return new SsmlDocument(_nodes, _language);
        }

        private void Text(string text)
        {
            if (_frames.Count == 0)
            {
                return;
            }
            Frame frame = _frames.Peek();
            if (frame.Collector is { } collector)
            {
                collector.Text.Append(text);
            }
            else
            {
                _nodes.Add(new SsmlText(text, frame.Style));
            }
        }

        private void Element()
        {
            if (++_elements > MaxElements)
            {
                throw Error($"the document has more than {MaxElements} elements.");
            }
            if (reader.Depth >= MaxDepth)
            {
                throw Error($"elements are nested more than {MaxDepth} deep.");
            }
            string name = reader.LocalName;
            bool empty = reader.IsEmptyElement;
            string? language = reader.GetAttribute("lang", XmlNamespace);
            if (_frames.Count == 0)
            {
                if (name != "speak")
                {
                    throw Error($"the root element is <{name}>; an SSML document's is <speak>.");
                }
                _language = language;
                Push(new Frame(name, SegmentStyle.Default, null, false, false, false), empty);
                return;
            }
            Frame parent = _frames.Peek();
            if (parent.Collector is not null)
            {
                // Inside say-as, sub or phoneme only text counts.
                Push(parent with { Name = name, Owner = false, Boundary = false }, empty);
                return;
            }
            SegmentStyle style = language is null ? parent.Style : parent.Style with { Language = language };
            Frame frame = name switch
            {
                "break" => Break(parent with { Name = name, Owner = false, Boundary = false }),
                "say-as" => SayAs(name, style),
                "sub" => new Frame(name, style, new Collector(new Substitute(Required("alias"))), true, false, false),
                "phoneme" => PhonemeFrame(name, style),
                "prosody" => new Frame(name, Prosody(style), null, false, false, false),
                "emphasis" => Emphasis(name, style),
                "p" or "s" or "paragraph" or "sentence" => new Frame(name, style, null, false, true, name is "p" or "paragraph"),
                "lang" => new Frame(name, style with { Language = language ?? throw Error("<lang> needs xml:lang, such as xml:lang=\"fr-FR\".") }, null, false, false, false),
                "voice" => new Frame(name, style with { VoiceName = Required("name") }, null, false, false, false),
                _ => new Frame(name, style, null, false, false, false), // unknown: its text is read
            };
            if (frame.Boundary)
            {
                _nodes.Add(new SsmlBoundary(frame.Paragraph));
            }
            Push(frame, empty);
        }

        private void Push(Frame frame, bool empty)
        {
            _frames.Push(frame);
            if (empty)
            {
                End(_frames.Pop());
            }
        }

        private void End(Frame frame)
        {
            if (frame.Owner && frame.Collector is { } collector)
            {
                _nodes.Add(new SsmlText(collector.Text.ToString(), frame.Style, collector.Reading));
            }
            if (frame.Boundary)
            {
                _nodes.Add(new SsmlBoundary(frame.Paragraph));
            }
        }

        private Frame Break(Frame frame)
        {
            string? time = reader.GetAttribute("time"), strength = reader.GetAttribute("strength");
            TimeSpan pause = time is not null
                ? SsmlValues.BreakTime(time) ?? throw Error($"<break time=\"{time}\"> is not a time; write milliseconds or seconds, such as 500ms or 2s.")
                : strength is not null
                    ? SsmlValues.BreakStrength(strength) ?? throw Error($"<break strength=\"{strength}\"> is not one of none, x-weak, weak, medium, strong, x-strong.")
                    : SsmlValues.BreakStrength("medium")!.Value;
            if (pause > PauseMarkers.Longest)
            {
                throw Error($"<break> asks for {pause.TotalSeconds:0.##} s; a break is at most {PauseMarkers.Longest.TotalSeconds} s.");
            }
            if (pause >= PauseMarkers.Shortest)
            {
                _nodes.Add(new SsmlBreak(pause));
            }
            return frame;
        }

        private Frame SayAs(string name, SegmentStyle style)
        {
            string interpretAs = Required("interpret-as").Trim().ToLowerInvariant();
            // A value this server does not read is read as ordinary text, as SSML asks of a processor.
            return new Frame(name, style, new Collector(InterpretAs.Contains(interpretAs) ? new SayAs(interpretAs) : null), true, false, false);
        }

        private Frame PhonemeFrame(string name, SegmentStyle style)
        {
            string ph = Required("ph").Trim();
            string alphabet = (reader.GetAttribute("alphabet") ?? "ipa").Trim().ToLowerInvariant();
            string ipa = alphabet switch
            {
                "ipa" => ph,
                "x-sampa" => XSampa.ToIpa(ph, out string? unknown) ?? throw Error($"<phoneme ph=\"{ph}\">: '{unknown}' is not an X-SAMPA symbol this server reads."),
                _ => throw Error($"<phoneme alphabet=\"{alphabet}\"> is not supported; use ipa or x-sampa."),
            };
            if (ipa.Length == 0 || TextMetrics.CountCharacters(ph) > PronunciationRule.MaxCharacters)
            {
                throw Error($"<phoneme ph> must hold 1 to {PronunciationRule.MaxCharacters} characters.");
            }
            return new Frame(name, style, new Collector(new Phoneme(new PhoneticSpelling(PhoneticAlphabet.Ipa, ipa))), true, false, false);
        }

        private SegmentStyle Prosody(SegmentStyle style)
        {
            if (reader.GetAttribute("rate") is { } rate)
            {
                style = style with { Rate = style.Rate * (SsmlValues.Rate(rate) ?? throw Error($"<prosody rate=\"{rate}\"> is not a rate; use x-slow..x-fast, a percentage (80%, +20%) or a factor (1.5).")) };
            }
            if (reader.GetAttribute("pitch") is { } pitch)
            {
                style = style with { PitchSemitones = style.PitchSemitones + (SsmlValues.Pitch(pitch) ?? throw Error($"<prosody pitch=\"{pitch}\"> is not a pitch; use x-low..x-high, semitones (+2st) or a relative percentage (+10%).")) };
            }
            if (reader.GetAttribute("volume") is { } volume)
            {
                style = style with { Volume = style.Volume * (SsmlValues.Volume(volume) ?? throw Error($"<prosody volume=\"{volume}\"> is not a volume; use silent, x-soft..x-loud, decibels (+6dB), a percentage (+20%) or 0..100.")) };
            }
            return style;
        }

        private Frame Emphasis(string name, SegmentStyle style)
        {
            string level = reader.GetAttribute("level") ?? "";
            (double rate, double volume) = SsmlValues.Emphasis(level) ?? throw Error($"<emphasis level=\"{level}\"> is not one of strong, moderate, reduced, none.");
            return new Frame(name, style with { Rate = style.Rate * rate, Volume = style.Volume * volume }, null, false, false, false);
        }

        private string Required(string attribute)
        {
            string? value = reader.GetAttribute(attribute);
            return string.IsNullOrWhiteSpace(value) ? throw Error($"<{reader.LocalName}> needs the attribute {attribute}.") : value;
        }

        private SpeechRequestException Error(string reason)
        {
            var info = (IXmlLineInfo)reader;
            (int line, int column) = position(info.LineNumber, info.LinePosition);
            return Malformed(line, column, reason);
        }
    }
}
