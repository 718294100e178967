using System.Buffers;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Text.Ssml;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Applies an SSML segment's prosody to its audio before the request's chain: rate and pitch by time-stretching the
/// segment alone (SoundTouch, as the chain's <see cref="TempoStage"/> does for the whole request), volume as a gain.
/// The request's own speed, pitch and volume still apply on top, so SSML values are relative to the request's.
/// </summary>
public static class SegmentProsody
{
    public const double MinRate = SpeechPlanner.MinSpeed;
    public const double MaxRate = SpeechPlanner.MaxSpeed;

    /// <summary>The segment's samples and word times as its style says; the same arrays when it changes nothing.</summary>
    public static (float[] Samples, IReadOnlyList<WordTiming> Words) Apply(float[] samples, IReadOnlyList<WordTiming> words, SegmentStyle style, int sampleRate)
    {
        double rate = Math.Clamp(style.Rate, MinRate, MaxRate);
        double pitch = Math.Clamp(style.PitchSemitones, -SpeechPlanner.MaxPitchSemitones, SpeechPlanner.MaxPitchSemitones);
        float gain = (float)Math.Clamp(style.Volume, 0, SpeechPlanner.MaxVolume);
        bool stretched = rate != 1 || pitch != 0;
        if (stretched)
        {
            using var stage = new TempoStage(sampleRate, 1, rate, pitch);
            var output = new ArrayBufferWriter<float>(Math.Max(1, (int)(samples.Length / rate) + 4096));
            stage.Process(samples, output);
            stage.Flush(output);
            samples = output.WrittenSpan.ToArray();
            words = [.. words.Select(w => w with { Offset = w.Offset / rate })];
        }
        if (gain != 1)
        {
            samples = stretched ? samples : [.. samples]; // the engine's array is not ours to change
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = Math.Clamp(samples[i] * gain, -1f, 1f);
            }
        }
        return (samples, words);
    }
}
