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
    /// <summary>The window over which <see cref="QuietFrames"/> and <see cref="QuietRuns"/> judge loudness, in ms.</summary>
    public const int WindowMs = 10;

    /// <summary>The RMS at or below which a window counts as quiet (-40 dBFS): pauses, and the fades into them.</summary>
    public const float QuietRms = 0.01f;

    /// <summary>The range of <paramref name="samples"/> (mono) to keep.</summary>
    /// <param name="trimStart">Drop the leading silence (beyond the pad).</param>
    /// <param name="trimEnd">Drop the trailing silence (beyond the pad).</param>
    /// <returns>Start and end indexes; an empty range when the audio is all silence and either edge is trimmed.</returns>
    public (int Start, int End) Keep(ReadOnlySpan<float> samples, bool trimStart, bool trimEnd) =>
        Keep(samples, trimStart ? leadPadFrames : -1, trimEnd ? tailPadFrames : -1);

    /// <summary>The range to keep, with the silence kept at each edge given in frames; a negative pad keeps that edge whole.</summary>
    public (int Start, int End) Keep(ReadOnlySpan<float> samples, int leadPad, int tailPad)
    {
        int firstLoud = FirstLoud(samples);
        if (firstLoud < 0)
        {
            return leadPad >= 0 || tailPad >= 0 ? (0, 0) : (0, samples.Length);
        }
        int lastLoudEnd = samples.Length;
        while (MathF.Abs(samples[lastLoudEnd - 1]) <= threshold)
        {
            lastLoudEnd--;
        }
        return (leadPad >= 0 ? Math.Max(0, firstLoud - leadPad) : 0, tailPad >= 0 ? Math.Min(samples.Length, lastLoudEnd + tailPad) : samples.Length);
    }

    /// <summary>The first sample above the silence threshold, or -1: where <see cref="Keep"/>'s range starts, less the pad.</summary>
    public int FirstLoud(ReadOnlySpan<float> samples)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            if (MathF.Abs(samples[i]) > threshold)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// The end of the audio's last sample loud enough that every <see cref="WindowMs"/> window holding it is loud
    /// (above <see cref="QuietRms"/>): neither <see cref="Keep"/> nor a quiet tail measured by <see cref="QuietFrames"/>
    /// reaches back past it, whatever audio follows, so audio before it can be sent before the rest exists.
    /// </summary>
    public static int ClearlyLoudEnd(ReadOnlySpan<float> samples, int sampleRate)
    {
        float loud = QuietRms * MathF.Sqrt(Math.Max(1, sampleRate * WindowMs / 1000));
        for (int i = samples.Length - 1; i >= 0; i--)
        {
            if (MathF.Abs(samples[i]) > loud)
            {
                return i + 1;
            }
        }
        return 0;
    }

    /// <summary>
    /// The frames of whole quiet windows (<see cref="QuietRms"/>) at the start of <paramref name="samples"/>, or at its
    /// end: the part of a kept edge a listener hears as pause.
    /// </summary>
    public static int QuietFrames(ReadOnlySpan<float> samples, int sampleRate, bool atEnd)
    {
        int window = Math.Max(1, sampleRate * WindowMs / 1000);
        int quiet = 0;
        while (quiet + window <= samples.Length)
        {
            ReadOnlySpan<float> span = atEnd ? samples.Slice(samples.Length - quiet - window, window) : samples.Slice(quiet, window);
            if (Rms(span) > QuietRms)
            {
                break;
            }
            quiet += window;
        }
        return quiet;
    }

    /// <summary>The quiet runs of <paramref name="samples"/> as (start, length) in frames, by windows of <see cref="WindowMs"/>.</summary>
    public static List<(int Start, int Length)> QuietRuns(ReadOnlySpan<float> samples, int sampleRate)
    {
        int window = Math.Max(1, sampleRate * WindowMs / 1000);
        var runs = new List<(int, int)>();
        int start = -1, windows = samples.Length / window;
        for (int i = 0; i < windows; i++)
        {
            bool quiet = Rms(samples.Slice(i * window, window)) <= QuietRms;
            if (quiet && start < 0)
            {
                start = i;
            }
            else if (!quiet && start >= 0)
            {
                runs.Add((start * window, (i - start) * window));
                start = -1;
            }
        }
        if (start >= 0)
        {
            runs.Add((start * window, (windows - start) * window));
        }
        return runs;
    }

    /// <summary>Ramps the first <paramref name="frames"/> samples up from silence, where audio starts inside a quiet fade.</summary>
    public static void FadeIn(Span<float> samples, int frames)
    {
        int count = Math.Min(frames, samples.Length);
        for (int i = 0; i < count; i++)
        {
            samples[i] *= (float)i / count;
        }
    }

    /// <summary>Ramps the last <paramref name="frames"/> samples down to silence, where audio ends inside a quiet fade.</summary>
    public static void FadeOut(Span<float> samples, int frames)
    {
        int count = Math.Min(frames, samples.Length);
        for (int i = 0; i < count; i++)
        {
            samples[samples.Length - 1 - i] *= (float)i / count;
        }
    }

    private static float Rms(ReadOnlySpan<float> samples)
    {
        double energy = 0;
        foreach (float sample in samples)
        {
            energy += sample * sample;
        }
        return (float)Math.Sqrt(energy / samples.Length);
    }
}
