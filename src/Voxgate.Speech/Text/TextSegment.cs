namespace Voxgate.Speech.Text;

/// <summary>
/// A piece of the prepared text synthesised in one engine call (a sentence, or part of one), or a pause.
/// </summary>
/// <param name="Start">UTF-16 offset in <see cref="PreparedText.Text"/>.</param>
/// <param name="Pause">For a pause (<c>&lt;#x#&gt;</c>), its length; zero for speech.</param>
public sealed record TextSegment(int Index, int Start, int Length, string Text, TimeSpan Pause = default)
{
    public bool IsPause => Pause > TimeSpan.Zero;
}

/// <summary>Input text after normalisation and splitting.</summary>
/// <param name="Text">The prepared text the segments index into.</param>
/// <param name="Characters">Unicode code points in the caller's input: the one count used for limits and billing.</param>
/// <param name="InvisibleCharacters">Control and format characters removed by normalisation.</param>
public sealed record PreparedText(string Text, IReadOnlyList<TextSegment> Segments, int Characters, int InvisibleCharacters)
{
    /// <summary>Share of the input that was invisible or control characters (MiniMax reports and limits it).</summary>
    public double InvisibleRatio => Characters == 0 ? 0 : (double)InvisibleCharacters / Characters;

    /// <summary>True when at least one segment has words to speak.</summary>
    public bool HasSpeech => Segments.Any(s => !s.IsPause);
}

/// <summary>How a request wants its text prepared beyond cleaning and splitting.</summary>
/// <param name="ExpandForSpeech">Numbers, dates, currency, units and abbreviations written out in English words.</param>
/// <param name="RenderPhonemes">Renders phonetic pronunciations for the engine; null when it takes none.</param>
public sealed record TextPreparation(
    bool ExpandForSpeech = false,
    IReadOnlyList<PronunciationRule>? Pronunciations = null,
    Func<PhoneticSpelling, string>? RenderPhonemes = null,
    string EngineName = "")
{
    public static TextPreparation Plain { get; } = new();
}
