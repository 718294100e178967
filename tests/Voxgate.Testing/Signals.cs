namespace Voxgate.Tests.Support;

/// <summary>Test signals and the measurements the audio tests make on them.</summary>
public static class Signals
{
    public static float[] Sine(double frequency, int sampleRate, TimeSpan duration, float amplitude = 0.5f)
    {
        var samples = new float[(int)(sampleRate * duration.TotalSeconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = amplitude * (float)Math.Sin(2 * Math.PI * frequency * i / sampleRate);
        }
        return samples;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float s in samples)
        {
            sum += s * s;
        }
        return samples.Length == 0 ? 0 : Math.Sqrt(sum / samples.Length);
    }

    public static float Peak(ReadOnlySpan<float> samples)
    {
        float peak = 0;
        foreach (float s in samples)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }
        return peak;
    }

    /// <summary>Frequency of a clean tone from its rate of upward zero crossings.</summary>
    public static double ToneFrequency(ReadOnlySpan<float> samples, int sampleRate)
    {
        int crossings = 0;
        for (int i = 1; i < samples.Length; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                crossings++;
            }
        }
        return crossings * (double)sampleRate / samples.Length;
    }
}
