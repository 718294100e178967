using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Text;

/// <summary>Normalises caller text and splits it into the segments engines synthesise one at a time.</summary>
public sealed class TextPreparer(IOptions<TextOptions> options)
{
    private readonly SentenceSplitter _splitter = new(options.Value.MaxSegmentCharacters);

    public PreparedText Prepare(string input)
    {
        string text = TextNormalizer.Normalize(input, out int invisible);
        var segments = new List<TextSegment>();
        foreach ((int start, int length) in _splitter.Split(text))
        {
            segments.Add(new TextSegment(segments.Count, start, length, text.Substring(start, length)));
        }
        return new PreparedText(text, segments, TextMetrics.CountCharacters(input), invisible);
    }
}
