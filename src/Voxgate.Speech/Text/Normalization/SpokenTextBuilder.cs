using System.Text;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Writes a text as spoken from its source, a stretch at a time, and records which stretches were rewritten
/// (<see cref="TextAlignment"/>). A rewritten stretch is kept apart from letters and digits on either side by a space
/// ("MP3" → "MP three"), and that space belongs to the rewritten stretch.
/// </summary>
public sealed class SpokenTextBuilder(int capacity = 16)
{
    private readonly StringBuilder _spoken = new(capacity);
    private readonly List<AlignedEdit> _edits = [];
    private int _lastReplacementEnd = -1;
    private bool _keepApart = true;

    public int Length => _spoken.Length;

    /// <summary>Copies source characters unchanged.</summary>
    public void Copy(string source, int start, int length)
    {
        if (length == 0)
        {
            return;
        }
        if (_keepApart && _lastReplacementEnd == _spoken.Length && char.IsLetterOrDigit(source[start]) && _edits.Count > 0)
        {
            AlignedEdit last = _edits[^1];
            _spoken.Append(' ');
            _edits[^1] = last with { SpokenEnd = last.SpokenEnd + 1 };
        }
        _spoken.Append(source, start, length);
    }

    /// <summary>Writes <paramref name="spoken"/> for the source's <paramref name="sourceStart"/>..+<paramref name="sourceLength"/>.</summary>
    /// <param name="keepApart">Keeps the words apart from letters and digits on either side with a space (readers do;
    /// a pronunciation dictionary's replacement, the caller's own text, is written as given).</param>
    public void Replace(int sourceStart, int sourceLength, string spoken, bool keepApart = true)
    {
        int spokenStart = _spoken.Length;
        _keepApart = keepApart;
        if (keepApart && spoken.Length > 0 && spokenStart > 0 && char.IsLetterOrDigit(_spoken[^1]) && char.IsLetterOrDigit(spoken[0]))
        {
            _spoken.Append(' ');
        }
        _spoken.Append(spoken);
        _edits.Add(new AlignedEdit(spokenStart, _spoken.Length, sourceStart, sourceStart + sourceLength));
        _lastReplacementEnd = _spoken.Length;
    }

    /// <summary>The spoken text and its alignment to the source.</summary>
    public (string Spoken, TextAlignment Alignment) Build() =>
        (_spoken.ToString(), _edits.Count == 0 ? TextAlignment.Identity : new TextAlignment(_edits));

    public override string ToString() => _spoken.ToString();
}
