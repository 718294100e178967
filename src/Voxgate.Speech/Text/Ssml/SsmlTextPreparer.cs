using System.Globalization;
using System.Text;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Speech.Text.Ssml;

/// <summary>
/// Maps an SSML document onto the canonical request's prepared text: its text content (whitespace collapsed,
/// invisible characters removed, as <see cref="TextNormalizer"/> cleans plain text) is <see cref="PreparedText.Source"/>,
/// what subtitles show and what is billed; stretches of one style become segments carrying that
/// <see cref="SegmentStyle"/>; breaks become pause segments, as MiniMax's <c>&lt;#x#&gt;</c> markers do; say-as, sub and
/// phoneme replace their text, recorded in the alignment so a subtitle shows what was written.
/// </summary>
/// <remarks>
/// Ordinary text goes through the same reading as plain text: the English front-end when the request asks for it,
/// then the pronunciation dictionary, then the sentence splitter. A style that changes inside a sentence ends its
/// segment there as a stream's first-segment cut does (<see cref="SegmentCut.Word"/>), so the engine's silence at
/// the join is replaced by a short phrase pause.
/// </remarks>
public sealed class SsmlTextPreparer(SentenceSplitter splitter, EnglishFrontEnd english)
{
    /// <summary>The pause between paragraphs (<c>&lt;p&gt;</c>), beyond the sentence end's own.</summary>
    public static readonly TimeSpan ParagraphPause = TimeSpan.FromMilliseconds(400);

    public PreparedText Prepare(string input, TextPreparation preparation)
    {
        SsmlDocument document = SsmlParser.Parse(input);
        var build = new Build(this, preparation);
        foreach (SsmlNode node in document.Nodes)
        {
            build.Add(node);
        }
        return build.Finish();
    }

    /// <summary>A stretch of the text content read one way: as ordinary text (no reading) or as its element says.</summary>
    private const string SentenceEnds = ".!?。！？…";

    private readonly record struct Part(int Start, int End, SsmlReading? Reading);

    private sealed class Build(SsmlTextPreparer owner, TextPreparation preparation)
    {
        private readonly StringBuilder _content = new();
        private readonly StringBuilder _text = new();
        private readonly List<TextSegment> _segments = [];
        private readonly List<AlignedEdit> _edits = [];
        private readonly List<Part> _parts = [];
        private SegmentStyle _style = SegmentStyle.Default;
        private bool _pendingSpace, _paragraphEnded;
        private int _invisible, _added;
        private int? _cutAfter; // the segment a style change inside its sentence ended

        public void Add(SsmlNode node)
        {
            switch (node)
            {
                case SsmlText text:
                    (int start, int end) = AppendContent(text.Text);
                    if (end == start && text.Reading is not Substitute)
                    {
                        return;
                    }
                    if (_parts.Count > 0 && text.Style != _style)
                    {
                        Flush(joined: true);
                    }
                    _style = text.Style;
                    _parts.Add(new Part(start, end, text.Reading));
                    break;
                case SsmlBreak pause:
                    Flush(joined: false);
                    _segments.Add(new TextSegment(_segments.Count, _text.Length, 0, "", pause.Pause));
                    break;
                case SsmlBoundary boundary:
                    Flush(joined: false);
                    _paragraphEnded |= boundary.Paragraph && _segments.Any(s => !s.IsPause);
                    break;
            }
        }

        public PreparedText Finish()
        {
            Flush(joined: false);
            string source = _content.ToString();
            int characters = TextMetrics.CountCharacters(source) + _invisible;
            var prepared = new PreparedText(_text.ToString(), _segments, characters + Math.Max(0, _added), _invisible)
            {
                InputCharacters = characters,
                Source = source,
                Alignment = _edits.Count == 0 ? TextAlignment.Identity : new TextAlignment(_edits),
            };
            // A stream's first segment is cut short only when nothing else already ends it early or styles it.
            return _segments is [{ Style: null, Cut: SegmentCut.None }, ..] ? FirstSegmentCut.Apply(prepared, preparation.FirstSegmentWords) : prepared;
        }

        /// <summary>Appends a text node to the text content, cleaned; returns the stretch it took.</summary>
        private (int Start, int End) AppendContent(string raw)
        {
            if (!raw.IsNormalized(NormalizationForm.FormC))
            {
                raw = raw.Normalize(NormalizationForm.FormC);
            }
            int start = _content.Length;
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (char.IsSurrogate(c))
                {
                    if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
                    {
                        AppendVisible(c);
                        _content.Append(raw[++i]);
                    }
                    else
                    {
                        _invisible++;
                    }
                    continue;
                }
                if (char.IsWhiteSpace(c))
                {
                    _pendingSpace = _content.Length > 0;
                    continue;
                }
                if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                {
                    _invisible++;
                    continue;
                }
                // [[...]] is the phoneme markup engines are given; the caller's brackets never make one.
                if (c is '[' or ']' && !_pendingSpace && _content.Length > 0 && _content[^1] == c)
                {
                    continue;
                }
                AppendVisible(c);
            }
            return (start, _content.Length);
        }

        private void AppendVisible(char c)
        {
            if (_pendingSpace)
            {
                _content.Append(' ');
                _pendingSpace = false;
            }
            _content.Append(c);
        }

        /// <summary>Turns the parts of one style into spoken text and segments.</summary>
        /// <param name="joined">The next text follows inside the same sentence, in another style.</param>
        private void Flush(bool joined)
        {
            if (_parts.Count == 0)
            {
                _cutAfter = null;
                return;
            }
            int offset = _text.Length;
            foreach (Part part in _parts)
            {
                string piece = _content.ToString(part.Start, part.End - part.Start);
                if (Reading(part.Reading, piece.Trim()) is { } spoken)
                {
                    Replace(part, piece, spoken);
                }
                else
                {
                    AppendRead(part.Start, piece);
                }
            }
            _parts.Clear();
            string span = _text.ToString(offset, _text.Length - offset);
            var added = new List<TextSegment>();
            foreach ((int start, int length) in owner._splitter.Split(span))
            {
                string sentence = span.Substring(start, length);
                if (TextMetrics.HasSpeakableCharacters(sentence))
                {
                    added.Add(new TextSegment(0, offset + start, length, sentence) { Style = _style.IsDefault ? null : _style });
                }
            }
            if (added.Count == 0)
            {
                return;
            }
            if (_cutAfter is int cut && !(span.TrimStart() is [char first, ..] && SentenceEnds.Contains(first)))
            {
                _segments[cut] = _segments[cut] with { Cut = SegmentCut.Word };
            }
            if (_paragraphEnded)
            {
                _segments.Add(new TextSegment(_segments.Count, offset, 0, "", ParagraphPause));
                _paragraphEnded = false;
            }
            foreach (TextSegment segment in added)
            {
                _segments.Add(segment with { Index = _segments.Count });
            }
            bool sentenceEnded = added[^1].Text.TrimEnd() is [.., char last] && SentenceEnds.Contains(last);
            _cutAfter = joined && !sentenceEnded ? _segments.Count - 1 : null;
        }

        /// <summary>Ordinary text: read as plain text is (English front-end if asked, then the dictionary).</summary>
        private void AppendRead(int sourceStart, string piece)
        {
            Func<string, (string, TextAlignment)> read = preparation.ExpandForSpeech ? owner._english.Read : s => (s, TextAlignment.Identity);
            (string spoken, TextAlignment alignment) = PronunciationApplier.ReadThenApply(piece, read, preparation.Pronunciations ?? [],
                preparation.RenderPhonemes, preparation.EngineName, out int added);
            _added += added;
            int offset = _text.Length;
            _edits.AddRange(alignment.Edits.Select(e =>
                new AlignedEdit(e.SpokenStart + offset, e.SpokenEnd + offset, e.SourceStart + sourceStart, e.SourceEnd + sourceStart)));
            _text.Append(spoken);
        }

        /// <summary>An element's text said as something else: one rewritten stretch, the spaces around it kept as they are.</summary>
        private void Replace(Part part, string piece, string spoken)
        {
            int leading = piece.Length - piece.TrimStart().Length, trailing = piece.Length - piece.TrimEnd().Length;
            if (piece.Trim().Length == 0)
            {
                (leading, trailing) = (piece.Length, 0);
            }
            _text.Append(piece, 0, leading);
            int start = _text.Length;
            _text.Append(spoken);
            _edits.Add(new AlignedEdit(start, _text.Length, part.Start + leading, part.End - trailing));
            _text.Append(piece, piece.Length - trailing, trailing);
        }

        /// <summary>What a say-as, sub or phoneme says instead of its text; null to read the text as ordinary text.</summary>
        private string? Reading(SsmlReading? reading, string written)
        {
            switch (reading)
            {
                case SayAs sayAs when sayAs.InterpretAs is "characters" or "spell-out":
                    return SpellOut(written);
                case SayAs sayAs:
                    return owner._english.ReadAs(Kind(sayAs.InterpretAs), written);
                case Substitute sub:
                    _added += TextMetrics.CountCharacters(sub.Alias) - TextMetrics.CountCharacters(written);
                    return sub.Alias;
                case Phoneme phoneme when preparation.RenderPhonemes is { } render:
                    // Billed as a dictionary's phonetic replacement is: as written, when longer than the text it replaces.
                    _added += TextMetrics.CountCharacters(phoneme.Spelling.Value) - TextMetrics.CountCharacters(written);
                    return render(phoneme.Spelling);
                default:
                    return null; // ordinary text, or a phoneme for an engine that takes none: its text is read
            }
        }

        private static TokenKind Kind(string interpretAs) => interpretAs switch
        {
            "ordinal" => TokenKind.Ordinal,
            "digits" => TokenKind.Digits,
            "date" => TokenKind.Date,
            "time" => TokenKind.Time,
            "telephone" => TokenKind.Telephone,
            "currency" => TokenKind.Money,
            "fraction" => TokenKind.Fraction,
            "unit" => TokenKind.Unit,
            _ => TokenKind.Cardinal,
        };

        /// <summary>Letters one by one (as capitals, which engines name), digits as digit words; other characters dropped.</summary>
        private static string? SpellOut(string written)
        {
            var words = new List<string>();
            foreach (Rune rune in written.EnumerateRunes())
            {
                if (Rune.IsDigit(rune) && rune.Value < 128)
                {
                    words.Add(NumberWords.Digits(rune.ToString()));
                }
                else if (Rune.IsLetter(rune))
                {
                    words.Add(Rune.ToUpperInvariant(rune).ToString());
                }
            }
            return words.Count == 0 ? null : string.Join(' ', words);
        }
    }

    private readonly SentenceSplitter _splitter = splitter;
    private readonly EnglishFrontEnd _english = english;
}
