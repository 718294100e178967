namespace Voxgate.Speech.Audio;

/// <summary>
/// The audible mark of machine-generated speech (MiniMax's <c>aigc_watermark</c>, which appends a tone): after the
/// speech, three short tones rising in a 2:3:4 ratio. They survive every codec here, so <see cref="Detect"/> finds
/// them in decoded audio of any format.
/// </summary>
public static class AudioWatermark
{
    /// <summary>The tones, in order; all below the 4 kHz Nyquist frequency of 8 kHz audio.</summary>
    public static readonly double[] Frequencies = [1750, 2625, 3500];

    private const double ToneSeconds = 0.1;
    private const double GapSeconds = 0.02;
    private const double LeadSeconds = 0.15;
    private const double FadeSeconds = 0.005;
    private const float Amplitude = 0.2f;
    private const double FrameSeconds = 0.02;

    public static TimeSpan Duration => TimeSpan.FromSeconds(LeadSeconds + Frequencies.Length * (ToneSeconds + GapSeconds));

    /// <summary>The marker's samples at <paramref name="sampleRate"/> (mono).</summary>
    public static float[] Chime(int sampleRate)
    {
        var samples = new float[(int)(sampleRate * Duration.TotalSeconds)];
        int toneLength = (int)(sampleRate * ToneSeconds), fade = (int)(sampleRate * FadeSeconds);
        int position = (int)(sampleRate * LeadSeconds);
        foreach (double frequency in Frequencies)
        {
            for (int i = 0; i < toneLength; i++)
            {
                float envelope = Math.Min(1f, Math.Min(i, toneLength - 1 - i) / (float)fade);
                samples[position + i] = Amplitude * envelope * (float)Math.Sin(2 * Math.PI * frequency * i / sampleRate);
            }
            position += toneLength + (int)(sampleRate * GapSeconds);
        }
        return samples;
    }

    /// <summary>
    /// True when the last two seconds hold the three tones in order: 20 ms frames in which one marker frequency carries
    /// most of the energy, forming runs of the first, then the second, then the third.
    /// </summary>
    public static bool Detect(ReadOnlySpan<float> mono, int sampleRate)
    {
        int frame = (int)(sampleRate * FrameSeconds);
        ReadOnlySpan<float> tail = mono[Math.Max(0, mono.Length - 2 * sampleRate)..];
        int expected = 0, run = 0, gap = 0;
        for (int start = 0; start + frame <= tail.Length; start += frame)
        {
            int tone = DominantMarkerTone(tail.Slice(start, frame), sampleRate);
            if (tone == expected)
            {
                gap = 0;
                if (++run >= 3)
                {
                    (expected, run) = (expected + 1, 0);
                    if (expected == Frequencies.Length)
                    {
                        return true;
                    }
                }
            }
            else if (tone == expected - 1 && run == 0)
            {
                gap = 0; // the rest of the tone just recognised
            }
            else if (tone < 0 && ++gap <= 3)
            {
                // a short gap between tones
            }
            else
            {
                (expected, run, gap) = tone == 0 ? (0, 1, 0) : (0, 0, 0);
            }
        }
        return false;
    }

    /// <summary>The index of the marker frequency holding over 60% of the frame's energy, or -1.</summary>
    private static int DominantMarkerTone(ReadOnlySpan<float> frame, int sampleRate)
    {
        double total = 0;
        foreach (float s in frame)
        {
            total += s * s;
        }
        if (total < frame.Length * 1e-5)
        {
            return -1;
        }
        for (int i = 0; i < Frequencies.Length; i++)
        {
            // Goertzel: the power of one frequency; for a pure tone it equals total * N / 2.
            if (Goertzel(frame, Frequencies[i], sampleRate) * 2 / frame.Length > 0.6 * total)
            {
                return i;
            }
        }
        return -1;
    }

    private static double Goertzel(ReadOnlySpan<float> samples, double frequency, int sampleRate)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (float x in samples)
        {
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }
}
