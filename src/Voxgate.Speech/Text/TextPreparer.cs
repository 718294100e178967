using System.Text;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Speech.Text;

/// <summary>
/// Prepares caller text for engines: cleans it, cuts it at pause markers, writes numbers out (if asked: in Chinese for
/// Chinese, else in English), applies the pronunciation dictionary, and splits what is left into sentences; for a
/// stream, cuts the first one short (<see cref="FirstSegmentCut"/>). It records where each stretch of the spoken text came from in the cleaned
/// caller's text (<see cref="PreparedText.Alignment"/>), for subtitles.
/// </summary>
public sealed class TextPreparer(IOptions<TextOptions> options)
{
    private readonly SentenceSplitter _splitter = new(options.Value.MaxSegmentCharacters);
    private readonly EnglishFrontEnd _english = new(new EnglishReadingOptions(options.Value.EnglishDateOrder));

    public PreparedText Prepare(string input, TextPreparation? preparation = null)
    {
        preparation ??= TextPreparation.Plain;
        if (Ssml.SsmlDocument.IsSsml(input))
        {
            return new Ssml.SsmlTextPreparer(_splitter, _english).Prepare(input, preparation);
        }
        string cleaned = TextNormalizer.Normalize(input, out int invisible);
        var text = new StringBuilder(cleaned.Length);
        var segments = new List<TextSegment>();
        var edits = new List<AlignedEdit>();
        int addedByDictionary = 0, sourceEnd = 0;
        foreach ((string piece, TimeSpan pause, int sourceStart) in PauseMarkers.SplitAt(cleaned))
        {
            if (sourceStart > sourceEnd)
            {
                // A marker: in the caller's text, not in the spoken one.
                edits.Add(new AlignedEdit(text.Length, text.Length, sourceEnd, sourceStart));
            }
            sourceEnd = sourceStart + piece.Length;
            if (pause > TimeSpan.Zero)
            {
                segments.Add(new TextSegment(segments.Count, text.Length, 0, "", pause));
                continue;
            }
            Func<string, (string, TextAlignment)> read = !preparation.ExpandForSpeech ? s => (s, TextAlignment.Identity)
                : ChineseFrontEnd.Reads(preparation.Language, piece) ? ChineseFrontEnd.Default.Read
                : _english.Read;
            (string spoken, TextAlignment alignment) = PronunciationApplier.ReadThenApply(piece, read, preparation.Pronunciations ?? [],
                preparation.RenderPhonemes, preparation.EngineName, out int added);
            addedByDictionary += added;
            int offset = text.Length;
            edits.AddRange(alignment.Edits.Select(e =>
                new AlignedEdit(e.SpokenStart + offset, e.SpokenEnd + offset, e.SourceStart + sourceStart, e.SourceEnd + sourceStart)));
            text.Append(spoken);
            foreach ((int start, int length) in _splitter.Split(spoken))
            {
                segments.Add(new TextSegment(segments.Count, offset + start, length, spoken.Substring(start, length)));
            }
        }
        if (cleaned.Length > sourceEnd)
        {
            edits.Add(new AlignedEdit(text.Length, text.Length, sourceEnd, cleaned.Length)); // a marker at the end
        }
        int inputCharacters = TextMetrics.CountCharacters(input);
        var prepared = new PreparedText(text.ToString(), segments, inputCharacters + Math.Max(0, addedByDictionary), invisible)
        {
            InputCharacters = inputCharacters,
            Source = cleaned,
            Alignment = edits.Count == 0 ? TextAlignment.Identity : new TextAlignment(edits),
        };
        return FirstSegmentCut.Apply(prepared, preparation.FirstSegmentWords);
    }
}
