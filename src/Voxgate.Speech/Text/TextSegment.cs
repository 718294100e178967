namespace Voxgate.Speech.Text;

/// <summary>
/// A piece of the prepared text synthesised in one engine call (a sentence, or part of one), or a pause.
/// </summary>
/// <param name="Start">UTF-16 offset in <see cref="PreparedText.Text"/>.</param>
/// <param name="Text">What the engine is given: the prepared text's <paramref name="Start"/>..+<paramref name="Length"/>,
/// except that a head cut between words (<see cref="SegmentCut.Word"/>) ends with a comma the caller did not write.</param>
/// <param name="Pause">For a pause (<c>&lt;#x#&gt;</c>), its length; zero for speech.</param>
public sealed record TextSegment(int Index, int Start, int Length, string Text, TimeSpan Pause = default)
{
    public bool IsPause => Pause > TimeSpan.Zero;

    /// <summary>
    /// How the segment ends: <see cref="SegmentCut.None"/> where the sentence splitter ended it, else cut short inside
    /// its sentence (<see cref="FirstSegmentCut"/>), and the next segment continues the sentence.
    /// </summary>
    public SegmentCut Cut { get; init; }

    /// <summary>For a stretch of an SSML document: its voice, language and prosody, when not the request's (null: the request's).</summary>
    public Ssml.SegmentStyle? Style { get; init; }
}

/// <summary>Input text after normalisation and splitting.</summary>
/// <param name="Text">The prepared text the segments index into.</param>
/// <param name="Characters">
/// The billed characters: the larger of the caller's input and the input with their pronunciation dictionary applied
/// (Unicode code points, <see cref="TextMetrics.CountCharacters"/>). A dictionary is the caller's own text, so what it
/// adds is spoken and paid for like the rest; the server's reading rules (normalisation) change nothing here.
/// </param>
/// <param name="InvisibleCharacters">Control and format characters removed by normalisation.</param>
public sealed record PreparedText(string Text, IReadOnlyList<TextSegment> Segments, int Characters, int InvisibleCharacters)
{
    /// <summary>Code points in the caller's input as sent.</summary>
    public int InputCharacters { get; init; } = Characters;

    /// <summary>
    /// The caller's text, cleaned (<see cref="TextNormalizer"/>: whitespace collapsed, invisible characters removed)
    /// but with its pause markers, and before normalisation and the pronunciation dictionary: what subtitles show.
    /// </summary>
    public string Source { get => field ?? Text; init; }

    /// <summary>Maps stretches of <see cref="Text"/> back to <see cref="Source"/>.</summary>
    public Normalization.TextAlignment Alignment { get; init; } = Normalization.TextAlignment.Identity;

    /// <summary>The stretch of <see cref="Source"/> that <see cref="Text"/>'s <paramref name="start"/>..+<paramref name="length"/> was made from.</summary>
    public (int Start, int End) SourceSpan(int start, int length) => Alignment.ToSource(start, start + length);

    /// <summary>Share of the input that was invisible or control characters (MiniMax reports and limits it).</summary>
    public double InvisibleRatio => InputCharacters == 0 ? 0 : (double)InvisibleCharacters / InputCharacters;

    /// <summary>The silence the caller asked for with pause markers.</summary>
    public TimeSpan Pauses => Segments.Aggregate(TimeSpan.Zero, (total, s) => total + s.Pause);

    /// <summary>Characters of the prepared text that are spoken (pauses excluded), after every replacement.</summary>
    public int SpokenCharacters => Segments.Where(s => !s.IsPause).Sum(s => TextMetrics.CountCharacters(Text.Substring(s.Start, s.Length)));

    /// <summary>True when at least one segment has words to speak.</summary>
    public bool HasSpeech => Segments.Any(s => !s.IsPause);
}

/// <summary>How a request wants its text prepared beyond cleaning and splitting.</summary>
/// <param name="ExpandForSpeech">Numbers, dates, currency, units and abbreviations written out in words: Chinese ones when
/// the language or the text is Chinese (<see cref="Normalization.ChineseFrontEnd.Reads"/>), else English.</param>
/// <param name="RenderPhonemes">Renders phonetic pronunciations for the engine; null when it takes none.</param>
/// <param name="FirstSegmentWords">
/// When above 0, the first segment is cut short for a stream's first audio (<see cref="FirstSegmentCut"/>): at its
/// first clause boundary within this many words, else after this many words.
/// </param>
/// <param name="Language">The language spoken (the voice's, after <c>language_boost</c> chose it), or null.</param>
public sealed record TextPreparation(
    bool ExpandForSpeech = false,
    IReadOnlyList<PronunciationRule>? Pronunciations = null,
    Func<PhoneticSpelling, string>? RenderPhonemes = null,
    string EngineName = "",
    int FirstSegmentWords = 0,
    string? Language = null)
{
    public static TextPreparation Plain { get; } = new();
}
