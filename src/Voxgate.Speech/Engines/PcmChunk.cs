namespace Voxgate.Speech.Engines;

/// <summary>Mono audio an engine produced for part of a segment.</summary>
/// <param name="Samples">Mono float samples in [-1, 1].</param>
/// <param name="Words">Words that start in this chunk, where the engine reports them.</param>
public sealed record PcmChunk(float[] Samples, int SampleRate, IReadOnlyList<WordTiming> Words)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}

/// <summary>Where a word of the segment text starts in the segment's audio.</summary>
/// <param name="TextIndex">UTF-16 offset of the word in the segment text.</param>
/// <param name="Offset">Time from the start of the segment's audio (before any speed change).</param>
public readonly record struct WordTiming(int TextIndex, int TextLength, TimeSpan Offset);
