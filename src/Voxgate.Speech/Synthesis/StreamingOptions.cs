using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Speech.Synthesis;

/// <summary>How audio waits for its reader (configuration section <c>Voxgate:Streaming</c>).</summary>
public sealed class StreamingOptions
{
    public const string Section = "Voxgate:Streaming";

    /// <summary>
    /// The most encoded audio a synthesis prepares ahead of its reader, in bytes: the pipeline hands audio over in
    /// pieces of about this size and computes nothing more until the reader has taken them. With the engine's
    /// unencoded audio of the one segment in progress, it bounds what a slow reader makes a request hold in memory.
    /// </summary>
    [Positive]
    public int MaxPendingBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Cut the first segment of a stream short (<see cref="SpeechRequest.Streamed"/>), so that its first audio
    /// leaves after a few words' synthesis instead of a whole sentence's: at its first clause boundary within
    /// <see cref="FirstSegmentWords"/> words, else after that many words. The join is made as long as the voice's own
    /// comma pause (a third of it between words). False sends every stream's first sentence whole.
    /// </summary>
    public bool FirstSegmentCut { get; set; } = true;

    /// <summary>
    /// The most words before the first cut. Three: flite:slt's engine takes ~7 ms a word plus ~6 ms for its edge
    /// silence, so the first byte stays under 30 ms, while the head still sounds like a phrase; fewer sound clipped,
    /// more pass 30 ms (docs/api.md, First audio).
    /// </summary>
    [Positive]
    public int FirstSegmentWords { get; set; } = 3;

    /// <summary>
    /// Send a stream's first segment while its engine computes it (Flite and eSpeak NG report their audio as they make
    /// it), rather than once the engine is done with it: the first byte then waits for the first 50 ms or so of audio,
    /// not for the whole segment. Edge silence is still dropped: the audio goes once it is known to be kept. An engine
    /// failure inside that segment then ends a response that has started (the engines here do not fail mid-segment).
    /// </summary>
    public bool FirstSegmentIncremental { get; set; } = true;

    /// <summary>Where audio kept for later (an upstream provider's answer, a whole JSON answer) goes beyond memory.</summary>
    [Required]
    public string SpillDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "voxgate");

    /// <summary>Audio kept in memory per buffer before it goes to a (nameless) temporary file.</summary>
    [NotNegative]
    public int SpillMemoryBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// The slowest a reader may take audio, as a share of real time: 0.5 means a reader must take each piece within
    /// half again its playing time (plus <see cref="ReaderGracePeriod"/>). A player that reads as it plays keeps up
    /// easily; a connection that stalls or trickles is dropped, and charged for what it had been sent.
    /// </summary>
    [NotNegative]
    public double MinReaderSpeed { get; set; } = 0.5;

    /// <summary>The least a reader must take per second whatever the format (lossy audio at low bitrates is small).</summary>
    [NotNegative]
    public int MinReaderBytesPerSecond { get; set; } = 1024;

    /// <summary>How long a reader may stall before its rate counts (network hiccups, a player's start-up).</summary>
    [Positive]
    public TimeSpan ReaderGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The rate a reader of audio at <paramref name="audioBytesPerSecond"/> must keep.</summary>
    public double MinReaderRate(long audioBytesPerSecond) => Math.Max(MinReaderBytesPerSecond, MinReaderSpeed * audioBytesPerSecond);
}
