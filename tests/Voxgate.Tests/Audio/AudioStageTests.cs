using System.Buffers;
using Voxgate.Speech.Audio;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Audio;

public class AudioStageTests
{
    /// <summary>Feeds a signal through a stage in uneven blocks, as engines deliver it, then flushes.</summary>
    private static float[] Run(IAudioStage stage, float[] input, int block = 1000)
    {
        var output = new ArrayBufferWriter<float>();
        for (int offset = 0; offset < input.Length;)
        {
            int size = Math.Min(block, input.Length - offset);
            stage.Process(input.AsSpan(offset, size), output);
            offset += size;
            block = block * 7 % 3001 + 1;
        }
        stage.Flush(output);
        (stage as IDisposable)?.Dispose(); // only stages with native state own anything to release
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void VolumeScalesEverySample()
    {
        float[] output = Run(new VolumeStage(0.5f), [0.2f, -0.4f, 1f]);
        Assert.Equal([0.1f, -0.2f, 0.5f], output);
    }

    [Fact]
    public void MonoToStereoDuplicatesFrames()
    {
        Assert.Equal([0.1f, 0.1f, -0.3f, -0.3f], Run(new MonoToStereoStage(), [0.1f, -0.3f]));
    }

    [Fact]
    public void EdgeSilenceKeepsPadsAndInnerQuietAndTrimsOnlyTheEdgesAsked()
    {
        float[] signal = [.. new float[500], .. Enumerable.Repeat(0.5f, 100), .. new float[300], .. Enumerable.Repeat(-0.5f, 100), .. new float[700]];
        var edges = new EdgeSilence(0.01f, leadPadFrames: 40, tailPadFrames: 100);
        Assert.Equal((460, 1100), edges.Keep(signal, trimStart: true, trimEnd: true));
        Assert.Equal((0, 1100), edges.Keep(signal, trimStart: false, trimEnd: true));
        Assert.Equal((460, signal.Length), edges.Keep(signal, trimStart: true, trimEnd: false));
        Assert.Equal((0, signal.Length), edges.Keep(signal, trimStart: false, trimEnd: false));
        // Pads never reach past the audio itself.
        Assert.Equal((0, 3), new EdgeSilence(0.01f, 40, 100).Keep([0.5f, 0, 0], trimStart: true, trimEnd: true));
    }

    [Fact]
    public void EdgeSilenceOfSilenceIsEmptyWhenAnEdgeIsTrimmed()
    {
        var edges = new EdgeSilence(0.01f, 40, 100);
        Assert.Equal((0, 0), edges.Keep(new float[5000], trimStart: true, trimEnd: false));
        Assert.Equal((0, 5000), edges.Keep(new float[5000], trimStart: false, trimEnd: false));
    }

    [Theory]
    [InlineData(16000, 24000)]
    [InlineData(22050, 24000)]
    [InlineData(24000, 8000)]
    [InlineData(16000, 44100)]
    public void ResamplingKeepsDurationAndPitch(int from, int to)
    {
        float[] tone = Signals.Sine(440, from, TimeSpan.FromSeconds(2));
        float[] output = Run(new ResampleStage(from, to, 1), tone);
        Assert.InRange(output.Length, to * 2 - to / 100, to * 2 + to / 100);
        Assert.InRange(Signals.ToneFrequency(output.AsSpan(to / 10, to), to), 435, 445);
        Assert.InRange(Signals.Rms(output.AsSpan(to / 10, to)), 0.33, 0.38); // 0.5 / sqrt(2)
    }

    [Fact]
    public void ResamplingIsBandLimited()
    {
        // A 7 kHz tone cannot exist at 8 kHz (Nyquist 4 kHz). A band-limited resampler removes it; linear
        // interpolation or decimation would fold it down to an audible 1 kHz alias at nearly full level.
        float[] tone = Signals.Sine(7000, 24000, TimeSpan.FromSeconds(1));
        float[] output = Run(new ResampleStage(24000, 8000, 1), tone);
        Assert.True(Signals.Rms(output.AsSpan(800, 6000)) < 0.01, $"alias energy {Signals.Rms(output.AsSpan(800, 6000))}");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void TempoChangesLengthButNotPitch(double tempo)
    {
        const int rate = 16000;
        float[] tone = Signals.Sine(300, rate, TimeSpan.FromSeconds(3));
        float[] output = Run(new TempoStage(rate, 1, tempo), tone);
        Assert.Equal((int)Math.Round(tone.Length / tempo), output.Length);
        Assert.InRange(Signals.ToneFrequency(output.AsSpan(output.Length / 4, output.Length / 2), rate), 290, 310);
    }

    [Fact]
    public void ChainAppliesStagesInOrderAndFlushesThroughLaterStages()
    {
        using var chain = new AudioChainSpec(16000, 24000, 2, 1.25, 0.5f).Build();
        Assert.Collection(chain.Stages,
            s => Assert.IsType<TempoStage>(s),
            s => Assert.IsType<ResampleStage>(s),
            s => Assert.IsType<VolumeStage>(s),
            s => Assert.IsType<MonoToStereoStage>(s));
        float[] tone = Signals.Sine(440, 16000, TimeSpan.FromSeconds(2));
        var output = new List<float>();
        for (int offset = 0; offset < tone.Length; offset += 1234)
        {
            output.AddRange(chain.Process(tone.AsSpan(offset, Math.Min(1234, tone.Length - offset))).ToArray());
        }
        output.AddRange(chain.Flush().ToArray());
        double seconds = output.Count / 2.0 / 24000;
        Assert.InRange(seconds, 2 / 1.25 - 0.01, 2 / 1.25 + 0.01); // 1.6 s of tone: stretched, resampled, nothing lost in the flush
        float[] left = [.. output.Where((_, i) => i % 2 == 0)];
        float[] right = [.. output.Where((_, i) => i % 2 == 1)];
        Assert.Equal(left, right);
        Assert.InRange(Signals.Peak(left), 0.23, 0.27);
    }

    [Fact]
    public void AnEmptyChainPassesSamplesThrough()
    {
        using var chain = new AudioChainSpec(24000, 24000, 1, 1, 1).Build();
        Assert.Empty(chain.Stages);
        Assert.Equal([0.25f, -0.5f], chain.Process([0.25f, -0.5f]).ToArray());
        Assert.Empty(chain.Flush().ToArray());
    }
}
