using System.Text;
using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Text;

/// <summary>
/// Prepares caller text for engines: cleans it, cuts it at pause markers, writes numbers out (if asked), applies the
/// pronunciation dictionary, and splits what is left into sentences; for a stream, cuts the first one short
/// (<see cref="FirstSegmentCut"/>).
/// </summary>
public sealed class TextPreparer(IOptions<TextOptions> options)
{
    private readonly SentenceSplitter _splitter = new(options.Value.MaxSegmentCharacters);

    public PreparedText Prepare(string input, TextPreparation? preparation = null)
    {
        preparation ??= TextPreparation.Plain;
        string cleaned = TextNormalizer.Normalize(input, out int invisible);
        var text = new StringBuilder(cleaned.Length);
        var segments = new List<TextSegment>();
        int addedByDictionary = 0;
        foreach ((string piece, TimeSpan pause) in PauseMarkers.Split(cleaned))
        {
            if (pause > TimeSpan.Zero)
            {
                segments.Add(new TextSegment(segments.Count, text.Length, 0, "", pause));
                continue;
            }
            string spoken = preparation.ExpandForSpeech ? EnglishNormalizer.Normalize(piece) : piece;
            spoken = PronunciationApplier.Apply(spoken, preparation.Pronunciations ?? [], preparation.RenderPhonemes, preparation.EngineName, out int added);
            addedByDictionary += added;
            int offset = text.Length;
            text.Append(spoken);
            foreach ((int start, int length) in _splitter.Split(spoken))
            {
                segments.Add(new TextSegment(segments.Count, offset + start, length, spoken.Substring(start, length)));
            }
        }
        int inputCharacters = TextMetrics.CountCharacters(input);
        var prepared = new PreparedText(text.ToString(), segments, inputCharacters + Math.Max(0, addedByDictionary), invisible) { InputCharacters = inputCharacters };
        return FirstSegmentCut.Apply(prepared, preparation.FirstSegmentWords);
    }
}
