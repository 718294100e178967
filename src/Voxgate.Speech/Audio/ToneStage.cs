namespace Voxgate.Speech.Audio;

/// <summary>
/// Timbre, from fuller (-100: +6 dB below 250 Hz, -6 dB above 3 kHz) to crisper (+100: the opposite), through two
/// shelving filters. MiniMax's <c>voice_modify.timbre</c>.
/// </summary>
public sealed class ToneStage(int sampleRate, int timbre) : SampleStage(PcmFormat.Mono(sampleRate))
{
    public const double MaxShelfDb = 6;

    private Biquad _low = Biquad.LowShelf(sampleRate, 250, -timbre / 100.0 * MaxShelfDb);
    private Biquad _high = Biquad.HighShelf(sampleRate, 3000, timbre / 100.0 * MaxShelfDb);

    protected override float Next(float sample) => _high.Process(_low.Process(sample));
}
