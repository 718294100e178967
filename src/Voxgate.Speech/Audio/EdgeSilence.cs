namespace Voxgate.Speech.Audio;

/// <summary>
/// Finds the silence an engine leaves at the edges of what it speaks, so that it can be dropped at the start and end
/// of the audio and around the pauses a caller asked for (which then last as long as asked), keeping a short pad so
/// the first and last phones are not clipped. It looks at one segment's audio, which the pipeline holds anyway, so it
/// needs no memory of its own; silence the caller asked for never passes through it.
/// </summary>
/// <param name="threshold">Absolute amplitude at or below which a sample counts as silence.</param>
public sealed class EdgeSilence(float threshold, int leadPadFrames, int tailPadFrames)
{
    /// <summary>The range of <paramref name="samples"/> (mono) to keep.</summary>
    /// <param name="trimStart">Drop the leading silence (beyond the pad).</param>
    /// <param name="trimEnd">Drop the trailing silence (beyond the pad).</param>
    /// <returns>Start and end indexes; an empty range when the audio is all silence and either edge is trimmed.</returns>
    public (int Start, int End) Keep(ReadOnlySpan<float> samples, bool trimStart, bool trimEnd)
    {
        int firstLoud = 0;
        while (firstLoud < samples.Length && MathF.Abs(samples[firstLoud]) <= threshold)
        {
            firstLoud++;
        }
        if (firstLoud == samples.Length)
        {
            return trimStart || trimEnd ? (0, 0) : (0, samples.Length);
        }
        int lastLoudEnd = samples.Length;
        while (MathF.Abs(samples[lastLoudEnd - 1]) <= threshold)
        {
            lastLoudEnd--;
        }
        return (trimStart ? Math.Max(0, firstLoud - leadPadFrames) : 0, trimEnd ? Math.Min(samples.Length, lastLoudEnd + tailPadFrames) : samples.Length);
    }
}
