using Voxgate.Speech.Encoders;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// One step of a running synthesis: encoded bytes ready to send (possibly none), the timing of a segment that has
/// just been synthesised, and on the last chunk only, the summary.
/// </summary>
public sealed record SpeechChunk(ReadOnlyMemory<byte> Audio)
{
    public SegmentTiming? Segment { get; init; }

    public SpeechSummary? Summary { get; init; }
}

/// <summary>Where a segment of the text lies in the output audio.</summary>
/// <param name="TextStart">UTF-16 offset in the normalised text.</param>
public sealed record SegmentTiming(int Index, int TextStart, int TextLength, TimeSpan Start, TimeSpan End, IReadOnlyList<WordSpan> Words);

/// <summary>A word's position in the normalised text and its start in the output audio.</summary>
public readonly record struct WordSpan(int TextStart, int TextLength, TimeSpan Start);

/// <summary>What a finished synthesis produced.</summary>
/// <param name="Characters">Billable characters (<see cref="Text.TextMetrics.CountCharacters"/> of the input).</param>
/// <param name="HeaderPatches">Header bytes that a seekable destination should rewrite (stream lengths, checksums).</param>
public sealed record SpeechSummary(
    int Characters,
    TimeSpan AudioDuration,
    long AudioBytes,
    AudioFormat Format,
    int SampleRate,
    int Channels,
    int Bitrate,
    int Segments,
    IReadOnlyList<HeaderPatch> HeaderPatches);
