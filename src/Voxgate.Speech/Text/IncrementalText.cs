namespace Voxgate.Speech.Text;

/// <summary>
/// Text that arrives in pieces (an LLM's tokens over a WebSocket), released for synthesis as soon as a sentence is
/// complete, or a clause once the sentence grows long, so the first audio can leave while later text is still
/// arriving. What is held back is the unfinished sentence at the end, which is bounded: past
/// <see cref="ClauseCharacters"/> it is cut at its last clause break, past <see cref="MaxHeldCharacters"/> at its last
/// space (or hard), exactly as <see cref="SentenceSplitter"/> cuts a long sentence. Sentence ends are the splitter's:
/// the held text is split as if a new capitalised sentence followed it, so "Hello there." is complete at once and "Dr."
/// is not; a full stop after a digit waits for the next piece, which may be a decimal's digits. A pause marker is
/// never cut in two.
/// </summary>
public sealed class IncrementalText
{
    private const string ClauseBreaks = ",;:，；：、—–";

    /// <summary>A sentence of its own appended to the held text, so that the splitter judges the held text's end.</summary>
    private const string NextSentence = " Z";

    private readonly SentenceSplitter _splitter;
    private string _held = "";

    /// <param name="maxHeldCharacters">The longest unfinished sentence held back (the engine's longest segment).</param>
    /// <param name="clauseCharacters">From this length an unfinished sentence is released up to its last clause break.</param>
    public IncrementalText(int maxHeldCharacters = 300, int clauseCharacters = 120)
    {
        MaxHeldCharacters = Math.Max(20, maxHeldCharacters);
        ClauseCharacters = Math.Clamp(clauseCharacters, 10, MaxHeldCharacters);
        // No cuts of its own: the splitter only finds sentence ends here; this class cuts long ones.
        _splitter = new SentenceSplitter(int.MaxValue / 4);
    }

    public int MaxHeldCharacters { get; }

    public int ClauseCharacters { get; }

    /// <summary>The text received and not yet released (the unfinished sentence).</summary>
    public string Held => _held;

    /// <summary>Adds a piece; returns the text it completes (empty when nothing is complete yet).</summary>
    public string Append(string piece)
    {
        _held += piece;
        int cut = CompleteUpTo(_held);
        if (cut <= 0)
        {
            return "";
        }
        string ready = _held[..cut];
        _held = _held[cut..];
        return ready;
    }

    /// <summary>Releases whatever is held (the text has ended, or has paused long enough to be spoken as it is).</summary>
    public string Flush()
    {
        string rest = _held;
        _held = "";
        return rest;
    }

    /// <summary>Where the complete part of <paramref name="text"/> ends: 0 when none of it is complete.</summary>
    private int CompleteUpTo(string text)
    {
        int cut = 0;
        // A full stop right after a digit may be a decimal point whose digits are the next piece ("3", ".", "14" is
        // how tokenizers send 3.14): it waits for them (or for the flush), judged as if a digit followed.
        bool decimalPoint = text.Length >= 2 && text[^1] == '.' && char.IsAsciiDigit(text[^2]);
        List<(int Start, int Length)> sentences = _splitter.Split(text + (decimalPoint ? "0" : NextSentence));
        if (sentences.Count >= 2)
        {
            // Everything before the last sentence (the sentinel, or the unfinished sentence with it) is complete.
            cut = Math.Min(text.Length, sentences[^1].Start);
        }
        while (text.Length - cut > MaxHeldCharacters || (text.Length - cut > ClauseCharacters && ClauseCut(text, cut) > cut))
        {
            int clause = ClauseCut(text, cut);
            cut = clause > cut ? clause : SpaceCut(text, cut);
        }
        return OutsidePauseMarker(text, cut);
    }

    /// <summary>After the last clause break (followed by a space) past the middle of the held sentence, or <paramref name="from"/>.</summary>
    private int ClauseCut(string text, int from)
    {
        int end = Math.Min(text.Length, from + MaxHeldCharacters);
        int floor = from + (end - from) / 2;
        for (int i = end - 2; i >= floor; i--)
        {
            if (ClauseBreaks.Contains(text[i]) && (text[i + 1] == ' ' || text[i] > '\u3000'))
            {
                return i + 1;
            }
        }
        return from;
    }

    /// <summary>At the last space within the limit, else hard at the limit (never between a surrogate pair).</summary>
    private int SpaceCut(string text, int from)
    {
        int limit = from + MaxHeldCharacters;
        for (int i = limit; i > from + MaxHeldCharacters / 2; i--)
        {
            if (text[i] == ' ')
            {
                return i;
            }
        }
        return char.IsLowSurrogate(text[limit]) ? limit - 1 : limit;
    }

    /// <summary>Moves a cut that would fall inside an unfinished <c>&lt;#x#&gt;</c> to before it.</summary>
    private static int OutsidePauseMarker(string text, int cut)
    {
        int open = text.LastIndexOf("<#", Math.Max(0, cut - 1), StringComparison.Ordinal);
        if (open < 0 || cut - open > PauseMarkers.LongestMalformedBody + 4)
        {
            return cut;
        }
        int close = text.IndexOf("#>", open + 2, StringComparison.Ordinal);
        return close >= 0 && close + 2 <= cut ? cut : open;
    }
}
