using Voxgate.Speech.Audio;

namespace Voxgate.Tests.Audio;

/// <summary>Stages state the formats they take and give; a chain whose stages do not fit is refused when it is composed.</summary>
public class AudioChainFormatTests
{
    [Fact]
    public void AMonoStageAfterTheStereoCopyIsRefusedNamingBothStages()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new AudioChain(PcmFormat.Mono(24000), [new MonoToStereoStage(), new EchoStage(24000, TimeSpan.FromMilliseconds(280), 0.35f, 0.45f)]));
        Assert.Contains(nameof(EchoStage), error.Message);
        Assert.Contains(nameof(MonoToStereoStage), error.Message);
        Assert.Contains("24000 Hz mono", error.Message);
        Assert.Contains("24000 Hz stereo", error.Message);
    }

    [Fact]
    public void AStageAtAnotherRateThanTheResamplerGivesIsRefused()
    {
        using var resample = new ResampleStage(16000, 24000, 1);
        var error = Assert.Throws<ArgumentException>(() =>
            new AudioChain(PcmFormat.Mono(16000), [resample, new ToneStage(16000, 50)]));
        Assert.Contains(nameof(ToneStage), error.Message);
        Assert.Contains(nameof(ResampleStage), error.Message);
        Assert.Contains("16000 Hz mono", error.Message);
        Assert.Contains("24000 Hz mono", error.Message);
    }

    [Fact]
    public void TheFirstStageMustTakeTheChainsInput()
    {
        var error = Assert.Throws<ArgumentException>(() => new AudioChain(new PcmFormat(24000, 2), [new TelephoneStage(24000)]));
        Assert.Contains(nameof(TelephoneStage), error.Message);
        Assert.Contains("the chain's input", error.Message);
    }

    [Fact]
    public void StagesThatTakeAnyFormatPassTheirInputFormatOn()
    {
        // A gain works at any rate and channel count, so what it gives is what it got.
        var chain = new AudioChain(PcmFormat.Mono(22050), [new VolumeStage(0.5f), new MonoToStereoStage(), new VolumeStage(2f)]);
        Assert.Equal(new PcmFormat(22050, 2), chain.Output);
        Assert.Equal(new PcmFormat(PcmFormat.Any, PcmFormat.Any), chain.Stages[0].Input);
        Assert.Equal(PcmFormat.Mono(22050), new AudioChain(PcmFormat.Mono(22050), []).Output);
    }

    [Theory]
    [InlineData(16000, 24000, 2, 1.25, 50, 30, SoundEffect.AuditoriumEcho, true)]
    [InlineData(24000, 24000, 1, 1.0, 0, 0, SoundEffect.None, false)]
    [InlineData(22050, 44100, 2, 0.8, -100, -20, SoundEffect.Robotic, true)]
    public void EveryBuiltChainEndsInTheOutputFormatAskedFor(int inputRate, int outputRate, int channels, double tempo, int timbre, int intensity, SoundEffect effect, bool watermark)
    {
        using AudioChain chain = new AudioChainSpec(inputRate, outputRate, channels, tempo, 0.8f, PitchSemitones: 2, timbre, intensity, effect, watermark).Build();
        Assert.Equal(PcmFormat.Mono(inputRate), chain.Input);
        Assert.Equal(new PcmFormat(outputRate, channels), chain.Output);
    }

    [Fact]
    public void OnlyStagesWithNativeStateAreDisposable()
    {
        using (var resample = new ResampleStage(16000, 24000, 1))
        using (var tempo = new TempoStage(16000, 1, 1.5))
        {
            Assert.IsAssignableFrom<IDisposable>(resample);
            Assert.IsAssignableFrom<IDisposable>(tempo);
        }
        IAudioStage[] managed = [new VolumeStage(1), new MonoToStereoStage(), new ToneStage(24000, 10), new IntensityStage(24000, 10),
            new EchoStage(24000, TimeSpan.FromMilliseconds(100), 0.3f, 0.3f), new ReverbStage(24000, 0.8f, 0.5f), new TelephoneStage(24000),
            new RoboticStage(24000), new WatermarkStage(24000)];
        Assert.All(managed, stage => Assert.False(stage is IDisposable, stage.GetType().Name));
    }
}
