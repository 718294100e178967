using System.Buffers;
using Voxgate.Speech.Audio;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Audio;

public class EffectStageTests
{
    private const int Rate = 24000;

    private static float[] Run(IAudioStage stage, float[] input)
    {
        var output = new ArrayBufferWriter<float>();
        for (int offset = 0; offset < input.Length; offset += 1000)
        {
            stage.Process(input.AsSpan(offset, Math.Min(1000, input.Length - offset)), output);
        }
        stage.Flush(output);
        (stage as IDisposable)?.Dispose(); // only stages with native state own anything to release
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Speech-like test signal: a low and a high partial of equal level.</summary>
    private static float[] TwoTones() =>
        [.. Signals.Sine(150, Rate, TimeSpan.FromSeconds(1), 0.25f).Zip(Signals.Sine(5000, Rate, TimeSpan.FromSeconds(1), 0.25f), (a, b) => a + b)];

    private static double Band(float[] samples, double frequency) =>
        Signals.Rms(Filter(samples, frequency));

    private static float[] Filter(float[] samples, double frequency)
    {
        // Isolate one partial with a narrow band-pass (a high-pass then a low-pass around it).
        Biquad high = Biquad.HighPass(Rate, frequency * 0.7, 2), low = Biquad.LowPass(Rate, frequency * 1.4, 2);
        return [.. samples.Skip(Rate / 4).Select(s => low.Process(high.Process(s)))];
    }

    [Fact]
    public void TimbreTiltsTheSpectrumMonotonically()
    {
        double[] ratios = [.. new[] { -100, -50, 0, 50, 100 }.Select(t =>
        {
            float[] output = Run(new ToneStage(Rate, t), TwoTones());
            return Band(output, 5000) / Band(output, 150);
        })];
        Assert.True(ratios.Zip(ratios.Skip(1)).All(p => p.Second > p.First * 1.2), string.Join(", ", ratios));
        Assert.InRange(ratios[0], 0.15, 0.4);  // fuller: about -12 dB tilt
        Assert.InRange(ratios[4], 2.5, 6.5);   // crisper: about +12 dB
    }

    [Fact]
    public void IntensityRaisesLoudnessMonotonicallyWithoutClipping()
    {
        float[] speechLike = [.. Signals.Sine(220, Rate, TimeSpan.FromSeconds(1), 0.3f).Select((s, i) => s * (0.3f + 0.7f * MathF.Abs(MathF.Sin(i / 3000f))))];
        double[] loudness = [.. new[] { -100, -40, 0, 40, 100 }.Select(i => Signals.Rms(Run(new IntensityStage(Rate, i), speechLike)))];
        Assert.True(loudness.Zip(loudness.Skip(1)).All(p => p.Second > p.First), string.Join(", ", loudness));
        Assert.True(Signals.Peak(Run(new IntensityStage(Rate, 100), speechLike)) < 1f);
    }

    [Fact]
    public void EchoAddsDelayedRepeatsAndATail()
    {
        float[] click = new float[Rate];
        click[0] = 1;
        float[] output = Run(new EchoStage(Rate, TimeSpan.FromMilliseconds(250), 0.5f, 0.5f), click);
        Assert.True(output.Length > click.Length);
        int delay = Rate / 4;
        Assert.Equal(0.5f, output[delay], 3);
        Assert.Equal(0.25f, output[2 * delay], 3);
        Assert.Equal(0f, output[delay / 2]);
    }

    [Fact]
    public void ReverbSpreadsEnergyIntoADecayingTail()
    {
        float[] click = new float[Rate / 2];
        click[0] = 1;
        float[] output = Run(new ReverbStage(Rate, 0.84f, 0.6f), click);
        Assert.True(output.Length >= click.Length + Rate);
        double early = Signals.Rms(output.AsSpan(Rate / 20, Rate / 5));
        double late = Signals.Rms(output.AsSpan(output.Length - Rate / 5, Rate / 5));
        Assert.True(early > 0.005 && late < early / 5, $"early {early}, late {late}");
    }

    [Fact]
    public void TelephoneKeepsTheVoiceBandOnly()
    {
        double Gain(double frequency)
        {
            float[] tone = Signals.Sine(frequency, Rate, TimeSpan.FromSeconds(0.5), 0.1f);
            return Signals.Rms(Run(new TelephoneStage(Rate), tone).AsSpan(Rate / 10)) / Signals.Rms(tone);
        }
        Assert.True(Gain(1000) > 0.4);
        Assert.True(Gain(80) < Gain(1000) / 5);
        Assert.True(Gain(8000) < Gain(1000) / 5);
    }

    [Fact]
    public void RoboticRingModulationMovesThePartials()
    {
        float[] tone = Signals.Sine(1000, Rate, TimeSpan.FromSeconds(0.5), 0.5f);
        float[] output = Run(new RoboticStage(Rate), tone);
        double sidebands = Band(output, 1060) + Band(output, 940);
        Assert.True(Signals.Rms(output) > 0.1);
        Assert.NotEqual(Signals.ToneFrequency(tone, Rate), Signals.ToneFrequency(output, Rate), 0);
        Assert.True(sidebands > 0.05);
    }

    [Fact]
    public void PitchShiftMovesTheToneAndKeepsTheLength()
    {
        float[] tone = Signals.Sine(300, 16000, TimeSpan.FromSeconds(2));
        float[] up = Run(new TempoStage(16000, 1, 1.0, pitchSemitones: 12), tone);
        float[] down = Run(new TempoStage(16000, 1, 1.0, pitchSemitones: -5), tone);
        Assert.Equal(tone.Length, up.Length);
        Assert.InRange(Signals.ToneFrequency(up.AsSpan(4000, 16000), 16000), 580, 620);
        Assert.InRange(Signals.ToneFrequency(down.AsSpan(4000, 16000), 16000), 215, 235); // 300 x 2^(-5/12) = 224.7
    }

    [Fact]
    public void TheWatermarkChimeIsFoundAfterSpeechAndNotWithoutIt()
    {
        float[] speech = [.. Signals.Sine(180, Rate, TimeSpan.FromSeconds(2), 0.3f).Select((s, i) => s * MathF.Abs(MathF.Sin(i / 2000f)))];
        float[] marked = Run(new WatermarkStage(Rate), speech);
        Assert.Equal(speech.Length + AudioWatermark.Chime(Rate).Length, marked.Length);
        Assert.True(AudioWatermark.Detect(marked, Rate));
        Assert.False(AudioWatermark.Detect(speech, Rate));
        float[] wrongOrder = [.. speech, .. AudioWatermark.Chime(Rate).Reverse()];
        Assert.False(AudioWatermark.Detect(wrongOrder, Rate));
        Assert.True(AudioWatermark.Detect(AudioWatermark.Chime(8000), 8000));
    }
}
