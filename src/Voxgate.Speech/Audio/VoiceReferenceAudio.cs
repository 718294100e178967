using System.Buffers;
using System.Buffers.Binary;

namespace Voxgate.Speech.Audio;

/// <summary>How an uploaded recording is cleaned before it becomes a cloned voice's reference.</summary>
/// <param name="ReduceNoise">MiniMax's <c>need_noise_reduction</c>: a gate that lowers what is as quiet as the noise floor.</param>
/// <param name="Normalize">MiniMax's <c>need_volume_normalization</c>: the peak brought to -1 dBFS.</param>
public sealed record ReferenceCleaning(bool ReduceNoise, bool Normalize);

/// <summary>
/// Turns an uploaded recording into a cloning reference: resampled to <see cref="SampleRate"/>, silence trimmed from
/// both ends, the most speech-filled stretch of at most <see cref="MaxLength"/> kept (cloning models want a short,
/// clean prompt, not minutes), optionally gated and normalised. Stored as 16-bit mono WAV.
/// </summary>
public static class VoiceReferenceAudio
{
    public const int SampleRate = 24000;

    public static TimeSpan MaxLength { get; } = TimeSpan.FromSeconds(20);

    private const int FrameSamples = SampleRate / 50; // 20 ms
    private const int PadFrames = 5;                  // 100 ms kept around the speech

    public static float[] Clean(DecodedAudio audio, ReferenceCleaning cleaning)
    {
        float[] samples = Resample(audio.Samples, audio.SampleRate);
        int frames = samples.Length / FrameSamples;
        if (frames == 0)
        {
            return samples;
        }
        double[] rms = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int i = f * FrameSamples; i < (f + 1) * FrameSamples; i++)
            {
                sum += samples[i] * (double)samples[i];
            }
            rms[f] = Math.Sqrt(sum / FrameSamples);
        }
        double[] sorted = [.. rms.Order()];
        double floor = sorted[frames / 10];
        double loud = sorted[Math.Min(frames - 1, frames * 95 / 100)];
        // Speech: well above the noise floor and within 30 dB of the loud frames.
        double threshold = Math.Max(Math.Max(floor * 2, loud * 0.03), 1e-4);
        bool[] speech = [.. rms.Select(r => r >= threshold)];
        int first = Array.IndexOf(speech, true), last = Array.LastIndexOf(speech, true);
        if (first < 0)
        {
            first = 0;
            last = frames - 1;
        }
        first = Math.Max(0, first - PadFrames);
        last = Math.Min(frames - 1, last + PadFrames);

        // The window of at most MaxLength with the most speech frames in it (the earliest of equals).
        int window = (int)(MaxLength.TotalSeconds * 50);
        int start = first, end = last + 1;
        if (end - start > window)
        {
            int count = 0, best = -1;
            for (int f = first; f < first + window; f++)
            {
                count += speech[f] ? 1 : 0;
            }
            best = count;
            int bestStart = first;
            for (int s = first + 1; s + window <= last + 1; s++)
            {
                count += (speech[s + window - 1] ? 1 : 0) - (speech[s - 1] ? 1 : 0);
                if (count > best)
                {
                    best = count;
                    bestStart = s;
                }
            }
            start = bestStart;
            end = bestStart + window;
        }
        float[] kept = samples.AsSpan(start * FrameSamples, (end - start) * FrameSamples).ToArray();
        if (cleaning.ReduceNoise)
        {
            for (int f = 0; f < kept.Length / FrameSamples; f++)
            {
                if (rms[start + f] < threshold)
                {
                    // Quiet frames (the noise between words) go down by 20 dB.
                    for (int i = f * FrameSamples; i < (f + 1) * FrameSamples; i++)
                    {
                        kept[i] *= 0.1f;
                    }
                }
            }
        }
        float peak = 0;
        foreach (float s in kept)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }
        float gain = cleaning.Normalize && peak > 0 ? 0.89f / peak : peak > 1 ? 1 / peak : 1;
        for (int i = 0; i < kept.Length; i++)
        {
            kept[i] = Math.Clamp(kept[i] * gain, -1f, 1f);
        }
        return kept;
    }

    private static float[] Resample(float[] samples, int rate)
    {
        if (rate == SampleRate)
        {
            return samples;
        }
        using var stage = new ResampleStage(rate, SampleRate, 1);
        var output = new ArrayBufferWriter<float>((int)(samples.LongLength * SampleRate / rate) + 1024);
        stage.Process(samples, output);
        stage.Flush(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>16-bit mono PCM WAV of <paramref name="samples"/> at <see cref="SampleRate"/>.</summary>
    public static byte[] ToWav(ReadOnlySpan<float> samples)
    {
        byte[] wav = new byte[44 + samples.Length * 2];
        Span<byte> h = wav;
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], 36 + samples.Length * 2);
        "WAVEfmt "u8.CopyTo(h[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(h[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(h[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], SampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(h[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(h[34..], 16);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[40..], samples.Length * 2);
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(h[(44 + i * 2)..], (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * 32767));
        }
        return wav;
    }

    /// <summary>Reads back a reference written by <see cref="ToWav"/>.</summary>
    /// <exception cref="InvalidDataException">It is not one.</exception>
    public static float[] FromWav(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 44 || !wav[..4].SequenceEqual("RIFF"u8) || !wav[36..40].SequenceEqual("data"u8)
            || BinaryPrimitives.ReadInt16LittleEndian(wav[34..]) != 16 || BinaryPrimitives.ReadInt32LittleEndian(wav[24..]) != SampleRate)
        {
            throw new InvalidDataException("A stored voice reference is not the 16-bit mono WAV Voxgate writes.");
        }
        int count = Math.Min(BinaryPrimitives.ReadInt32LittleEndian(wav[40..]), wav.Length - 44) / 2;
        float[] samples = new float[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav[(44 + i * 2)..]) / 32768f;
        }
        return samples;
    }
}
