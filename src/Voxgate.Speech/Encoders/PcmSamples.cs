namespace Voxgate.Speech.Encoders;

/// <summary>Float to 16-bit conversion shared by the PCM, WAV and FLAC encoders.</summary>
public static class PcmSamples
{
    /// <summary>Converts with rounding and clipping to the 16-bit range.</summary>
    public static void ToInt16(ReadOnlySpan<float> source, Span<short> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            float scaled = source[i] * 32768f;
            destination[i] = float.IsNaN(scaled) ? (short)0
                : scaled >= 32767f ? short.MaxValue
                : scaled <= -32768f ? short.MinValue
                : (short)MathF.Round(scaled);
        }
    }

    public static float[] ToFloat(ReadOnlySpan<short> source)
    {
        var samples = new float[source.Length];
        ToFloat(source, samples);
        return samples;
    }

    public static void ToFloat(ReadOnlySpan<short> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] / 32768f;
        }
    }
}
