namespace Voxgate.Speech.Text;

/// <summary>A piece of the normalised text that is synthesised in one engine call (a sentence, or part of one).</summary>
/// <param name="Start">UTF-16 offset in <see cref="PreparedText.Text"/>.</param>
public sealed record TextSegment(int Index, int Start, int Length, string Text);

/// <summary>Input text after normalisation and splitting.</summary>
/// <param name="Text">The normalised text the segments index into.</param>
/// <param name="Characters">Unicode code points in the caller's input: the one count used for limits and billing.</param>
/// <param name="InvisibleCharacters">Control and format characters removed by normalisation.</param>
public sealed record PreparedText(string Text, IReadOnlyList<TextSegment> Segments, int Characters, int InvisibleCharacters)
{
    /// <summary>Share of the input that was invisible or control characters (MiniMax reports and limits it).</summary>
    public double InvisibleRatio => Characters == 0 ? 0 : (double)InvisibleCharacters / Characters;
}
