namespace Voxgate.Speech.Audio;

/// <summary>
/// A lo-fi telephone line (MiniMax's <c>lofi_telephone</c>): 300-3400 Hz band-pass (two high-passes, two low-passes)
/// and a little saturation.
/// </summary>
public sealed class TelephoneStage(int sampleRate) : SampleStage(PcmFormat.Mono(sampleRate))
{
    private Biquad _high1 = Biquad.HighPass(sampleRate, 300);
    private Biquad _high2 = Biquad.HighPass(sampleRate, 300);
    private Biquad _low1 = Biquad.LowPass(sampleRate, 3400);
    private Biquad _low2 = Biquad.LowPass(sampleRate, 3400);

    protected override float Next(float sample)
    {
        float band = _low2.Process(_low1.Process(_high2.Process(_high1.Process(sample))));
        return MathF.Tanh(2.5f * band) / 1.5f;
    }
}
