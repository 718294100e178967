namespace Voxgate.Speech.Text;

/// <summary>
/// Splits normalised text into sentences, then cuts sentences longer than the limit at a clause boundary
/// (, ; : — and their CJK forms), else at a space, else hard. Line breaks always end a sentence. A full stop after
/// a known abbreviation or a single capital (an initial) does not, and neither does one followed by a lower-case
/// word or a digit (so "e.g. this" and "3.14" stay whole). Phoneme markup (<c>[[...]]</c>) is never split.
/// </summary>
public sealed class SentenceSplitter(int maxSegmentCharacters)
{
    private static readonly HashSet<string> s_abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "ft", "vs", "etc", "e.g", "i.e", "cf", "al",
        "inc", "ltd", "co", "corp", "no", "nos", "fig", "figs", "vol", "vols", "p", "pp", "approx", "dept", "est",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "rev", "hon",
    };

    private const string SentenceEnds = ".!?…。！？؟।";
    private const string FullWidthEnds = "。！？";
    private const string Closers = "\"'”’)]}»」』）";
    private const string ClauseBreaks = ",;:，；：、—–";

    public int MaxSegmentCharacters { get; } = maxSegmentCharacters >= 20
        ? maxSegmentCharacters
        : throw new ArgumentOutOfRangeException(nameof(maxSegmentCharacters), "Segments need room for at least 20 characters.");

    /// <summary>Returns (start, length) ranges with no leading or trailing spaces, each holding a letter or digit.</summary>
    public List<(int Start, int Length)> Split(string text)
    {
        var result = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (PhonemeSpanEnd(text, i) is int spanEnd)
            {
                i = spanEnd - 1;
                continue;
            }
            if (c == '\n')
            {
                AddSentence(text, start, i, result);
                start = i + 1;
                continue;
            }
            if (!SentenceEnds.Contains(c))
            {
                continue;
            }
            int end = i + 1;
            while (end < text.Length && (SentenceEnds.Contains(text[end]) || Closers.Contains(text[end])))
            {
                end++;
            }
            bool atBoundary = end == text.Length || text[end] is ' ' or '\n' || FullWidthEnds.Contains(c);
            if (atBoundary && !(c == '.' && ContinuesAfterFullStop(text, start, i, end)))
            {
                AddSentence(text, start, end, result);
                start = end;
            }
            i = end - 1;
        }
        AddSentence(text, start, text.Length, result);
        return result;
    }

    private static bool ContinuesAfterFullStop(string text, int sentenceStart, int dot, int end)
    {
        if (end - dot > 1)
        {
            return false; // "..." or ".)" ends the sentence
        }
        int wordStart = dot;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(text[wordStart - 1]) && text[wordStart - 1] is not ('(' or '"'))
        {
            wordStart--;
        }
        ReadOnlySpan<char> word = text.AsSpan(wordStart, dot - wordStart);
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true; // an initial: "J. R. R. Tolkien"
        }
        if (s_abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
        {
            return true;
        }
        int next = end;
        while (next < text.Length && text[next] == ' ')
        {
            next++;
        }
        return next < text.Length && text[next] != '\n' && (char.IsLower(text[next]) || char.IsDigit(text[next]));
    }

    private void AddSentence(string text, int start, int end, List<(int, int)> result)
    {
        while (start < end && text[start] is ' ' or '\n')
        {
            start++;
        }
        while (end > start && text[end - 1] is ' ' or '\n')
        {
            end--;
        }
        while (end - start > MaxSegmentCharacters)
        {
            int cut = FindCut(text, start, start + MaxSegmentCharacters);
            AddIfSpeakable(text, start, cut, result);
            start = cut;
            while (start < end && text[start] == ' ')
            {
                start++;
            }
        }
        AddIfSpeakable(text, start, end, result);
    }

    /// <summary>The end of the phoneme markup starting at <paramref name="index"/>, if one starts there.</summary>
    private static int? PhonemeSpanEnd(string text, int index)
    {
        if (index + 1 >= text.Length || text[index] != '[' || text[index + 1] != '[')
        {
            return null;
        }
        int close = text.IndexOf("]]", index + 2, StringComparison.Ordinal);
        return close < 0 ? null : close + 2;
    }

    /// <summary>Where to cut a too-long sentence that must end by <paramref name="limit"/>: never inside phoneme markup.</summary>
    private static int FindCut(string text, int start, int limit)
    {
        int open = text.LastIndexOf("[[", limit, limit - start, StringComparison.Ordinal);
        if (open > start && PhonemeSpanEnd(text, open) is int end && end > limit)
        {
            return open;
        }
        return FindCutOutsideMarkup(text, start, limit);
    }

    private static int FindCutOutsideMarkup(string text, int start, int limit)
    {
        int floor = start + (limit - start) / 2;
        for (int i = limit - 1; i > floor; i--)
        {
            if (ClauseBreaks.Contains(text[i]))
            {
                return i + 1;
            }
        }
        for (int i = limit; i > floor; i--)
        {
            if (text[i] == ' ')
            {
                return i;
            }
        }
        return char.IsLowSurrogate(text[limit]) ? limit - 1 : limit;
    }

    private static void AddIfSpeakable(string text, int start, int end, List<(int, int)> result)
    {
        while (end > start && text[end - 1] == ' ')
        {
            end--;
        }
        if (end > start && TextMetrics.HasSpeakableCharacters(text.AsSpan(start, end - start)))
        {
            result.Add((start, end - start));
        }
    }
}
