namespace Voxgate.Speech.Text;

/// <summary>How a segment ends: at the end of a sentence (or of a too-long sentence's piece), or cut short inside it.</summary>
public enum SegmentCut
{
    /// <summary>The segment ends where the sentence splitter ended it.</summary>
    None,

    /// <summary>Cut after a clause boundary (<c>, ; : — –</c> and their CJK forms); the next segment continues the sentence.</summary>
    Clause,

    /// <summary>Cut between two words (no clause boundary came soon enough); the next segment continues the sentence.</summary>
    Word,
}

/// <summary>
/// Cuts the first segment of a stream short, so its first audio leaves after a few words' synthesis rather than a
/// whole sentence's (a clustergen voice such as flite:slt takes ~0.85 ms per character; a 117-character sentence held
/// the first byte back ~100 ms). The head ends at the first clause boundary within <c>maxWords</c> words, else after
/// <c>maxWords</c> words; the rest of the sentence stays one segment, so its prosody is the engine's own, and it is
/// synthesised while the head plays. The cut changes what the engine is asked for, never the prepared text: segments
/// still index the same text, and nothing billable moves.
/// </summary>
public static class FirstSegmentCut
{
    /// <summary>Clause boundaries; the ASCII ones count only before a space ("3,000", "10:30" are not boundaries).</summary>
    private const string ClauseBreaks = ",;:，；：、—–";
    private const string WideClauseBreaks = "，；：、";

    /// <summary>Cuts the first segment when it is speech; otherwise returns the text unchanged.</summary>
    /// <param name="maxWords">The most words before the cut; 0 or less leaves the text whole.</param>
    public static PreparedText Apply(PreparedText text, int maxWords)
    {
        if (maxWords <= 0 || text.Segments.Count == 0 || text.Segments[0].IsPause || Find(text.Segments[0].Text, maxWords) is not (int at, SegmentCut cut))
        {
            return text;
        }
        TextSegment first = text.Segments[0];
        int restStart = at;
        while (first.Text[restStart] == ' ')
        {
            restStart++;
        }
        int headLength = at;
        while (first.Text[headLength - 1] == ' ')
        {
            headLength--;
        }
        string headText = first.Text[..headLength];
        var segments = new List<TextSegment>(text.Segments.Count + 1)
        {
            // Between words the head gets a comma the caller did not write: an engine ends a comma's clause rising,
            // as speech continues, where it would end bare text falling, as a sentence (eSpeak NG; Flite ignores it).
            new(0, first.Start, headLength, cut == SegmentCut.Word ? headText + "," : headText) { Cut = cut },
            new(1, first.Start + restStart, first.Length - restStart, first.Text[restStart..]),
        };
        segments.AddRange(text.Segments.Skip(1).Select(s => s with { Index = s.Index + 1 }));
        return text with { Segments = segments };
    }

    /// <summary>Where to cut a segment's text, if anywhere: after the head, before the rest (spaces between them).</summary>
    public static (int At, SegmentCut Cut)? Find(string text, int maxWords)
    {
        int words = 0;
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '[' && i + 1 < text.Length && text[i + 1] == '[')
            {
                int close = text.IndexOf("]]", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return null;
                }
                i = close + 1; // phoneme markup is one word, never cut
                inWord = true;
                continue;
            }
            if (c == ' ')
            {
                if (inWord && ++words == maxWords)
                {
                    int cut = BeforeTrailingFunctionWords(text, i);
                    return Speakable(text, 0, cut) && RestHasWords(text, cut, 2) ? (cut, SegmentCut.Word) : null;
                }
                inWord = false;
                continue;
            }
            inWord = true;
            bool clause = ClauseBreaks.Contains(c)
                && (WideClauseBreaks.Contains(c) || (i + 1 < text.Length && text[i + 1] == ' ') || (c is '—' or '–' && i > 0 && text[i - 1] == ' '));
            if (clause && Speakable(text, 0, i) && RestHasWords(text, i + 1, 1))
            {
                return (i + 1, SegmentCut.Clause);
            }
        }
        return null;
    }

    /// <summary>
    /// Moves a cut between words back past words that lean on the next one (articles, prepositions, conjunctions,
    /// possessives), so the head ends on a word a phrase can end on: "At 10:30 | the boats", not "At 10:30 the | boats".
    /// Keeps at least one word.
    /// </summary>
    private static int BeforeTrailingFunctionWords(string text, int cut)
    {
        while (true)
        {
            int wordStart = text.LastIndexOf(' ', cut - 1) + 1;
            if (wordStart == 0 || !s_leaning.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text.AsSpan(wordStart, cut - wordStart)))
            {
                return cut;
            }
            cut = wordStart - 1;
            while (cut > 0 && text[cut - 1] == ' ')
            {
                cut--;
            }
        }
    }

    /// <summary>English words that lean on the word after them.</summary>
    private static readonly HashSet<string> s_leaning = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "about", "and", "or",
        "but", "nor", "as", "than", "that", "my", "your", "his", "her", "its", "our", "their", "this", "these", "those",
    };

    private static bool Speakable(string text, int start, int end) => TextMetrics.HasSpeakableCharacters(text.AsSpan(start, end - start));

    /// <summary>True when the text after <paramref name="from"/> holds at least <paramref name="count"/> speakable words.</summary>
    private static bool RestHasWords(string text, int from, int count)
    {
        int found = 0;
        foreach (string word in text[from..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TextMetrics.HasSpeakableCharacters(word) && ++found >= count)
            {
                return true;
            }
        }
        return false;
    }
}
