namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// One stretch of text that was rewritten: <c>Source</c> characters of the caller's text became <c>Spoken</c>
/// characters of the text as spoken (either may be empty: a pause marker is source with nothing spoken).
/// </summary>
public readonly record struct AlignedEdit(int SpokenStart, int SpokenEnd, int SourceStart, int SourceEnd);

/// <summary>
/// Maps offsets in a text as spoken back to the text it was made from. Between edits the two texts are the same
/// character for character, so only the rewritten stretches are stored: a long text with few numbers costs little.
/// </summary>
public sealed class TextAlignment
{
    private readonly AlignedEdit[] _edits;

    public TextAlignment(IEnumerable<AlignedEdit> edits)
    {
        _edits = [.. edits.OrderBy(e => e.SpokenStart).ThenBy(e => e.SpokenEnd)];
    }

    /// <summary>Nothing rewritten: every offset maps to itself.</summary>
    public static TextAlignment Identity { get; } = new([]);

    public IReadOnlyList<AlignedEdit> Edits => _edits;

    /// <summary>
    /// The stretch of the source a stretch of the spoken text was made from: a word inside a rewritten stretch
    /// ("twenty" of "twenty dollars") maps to the whole of what was written ("$20").
    /// </summary>
    public (int Start, int End) ToSource(int spokenStart, int spokenEnd)
    {
        int start = MapStart(spokenStart);
        int end = spokenEnd > spokenStart ? MapEnd(spokenEnd) : start;
        return (start, Math.Max(start, end));
    }

    private int MapStart(int position)
    {
        int last = LastStartingAtOrBefore(position, strictly: false);
        if (last < 0)
        {
            return position;
        }
        AlignedEdit edit = _edits[last];
        // Inside a rewritten stretch: its start. After it (or after a deletion at the position itself): shifted.
        return position < edit.SpokenEnd ? edit.SourceStart : position + edit.SourceEnd - edit.SpokenEnd;
    }

    private int MapEnd(int position)
    {
        int last = LastStartingAtOrBefore(position, strictly: true); // an edit starting at the end is not part of the stretch
        if (last < 0)
        {
            return position;
        }
        AlignedEdit edit = _edits[last];
        return position <= edit.SpokenEnd && edit.SpokenEnd > edit.SpokenStart ? edit.SourceEnd : position + edit.SourceEnd - edit.SpokenEnd;
    }

    /// <summary>The index of the last edit starting at or before (strictly: before) a position, or -1.</summary>
    private int LastStartingAtOrBefore(int position, bool strictly)
    {
        int low = 0, high = _edits.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (strictly ? _edits[middle].SpokenStart < position : _edits[middle].SpokenStart <= position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low - 1;
    }

    /// <summary>
    /// This alignment (source → middle) followed by <paramref name="next"/> (middle → spoken): source → spoken.
    /// </summary>
    public TextAlignment Then(TextAlignment next)
    {
        if (next._edits.Length == 0)
        {
            return this;
        }
        if (_edits.Length == 0)
        {
            return next;
        }
        var edits = new List<AlignedEdit>();
        foreach (AlignedEdit edit in next._edits)
        {
            (int sourceStart, int sourceEnd) = edit.SpokenStart == edit.SpokenEnd && edit.SourceStart == edit.SourceEnd
                ? (MapStart(edit.SourceStart), MapStart(edit.SourceStart))
                : ToSource(edit.SourceStart, edit.SourceEnd);
            edits.Add(new AlignedEdit(edit.SpokenStart, edit.SpokenEnd, sourceStart, sourceEnd));
        }
        foreach (AlignedEdit edit in _edits)
        {
            (int spokenStart, int spokenEnd) = next.ToSpoken(edit.SpokenStart, edit.SpokenEnd);
            edits.Add(new AlignedEdit(spokenStart, spokenEnd, edit.SourceStart, edit.SourceEnd));
        }
        return new TextAlignment(Merge(edits));
    }

    /// <summary>The inverse direction, for composing: where a stretch of the source went in the spoken text.</summary>
    private (int Start, int End) ToSpoken(int sourceStart, int sourceEnd)
    {
        _inverse ??= new TextAlignment(_edits.Select(e => new AlignedEdit(e.SourceStart, e.SourceEnd, e.SpokenStart, e.SpokenEnd)));
        return _inverse.ToSource(sourceStart, sourceEnd);
    }

    private TextAlignment? _inverse;

    /// <summary>Overlapping edits joined into one, so that the stored edits never overlap.</summary>
    private static List<AlignedEdit> Merge(List<AlignedEdit> edits)
    {
        edits.Sort((a, b) => a.SpokenStart != b.SpokenStart ? a.SpokenStart.CompareTo(b.SpokenStart) : a.SourceStart.CompareTo(b.SourceStart));
        var merged = new List<AlignedEdit>();
        foreach (AlignedEdit edit in edits)
        {
            if (merged.Count > 0 && Overlaps(merged[^1], edit))
            {
                AlignedEdit last = merged[^1];
                merged[^1] = new AlignedEdit(Math.Min(last.SpokenStart, edit.SpokenStart), Math.Max(last.SpokenEnd, edit.SpokenEnd),
                    Math.Min(last.SourceStart, edit.SourceStart), Math.Max(last.SourceEnd, edit.SourceEnd));
            }
            else
            {
                merged.Add(edit);
            }
        }
        return merged;
    }

    private static bool Overlaps(AlignedEdit a, AlignedEdit b) =>
        b.SpokenStart < a.SpokenEnd || b.SourceStart < a.SourceEnd;
}
