using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>
/// A lo-fi telephone line (MiniMax's <c>lofi_telephone</c>): 300-3400 Hz band-pass (two high-passes, two low-passes)
/// and a little saturation.
/// </summary>
public sealed class TelephoneStage(int sampleRate) : IAudioStage
{
    private Biquad _high1 = Biquad.HighPass(sampleRate, 300);
    private Biquad _high2 = Biquad.HighPass(sampleRate, 300);
    private Biquad _low1 = Biquad.LowPass(sampleRate, 3400);
    private Biquad _low2 = Biquad.LowPass(sampleRate, 3400);

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        Span<float> target = output.GetSpan(input.Length)[..input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            float band = _low2.Process(_low1.Process(_high2.Process(_high1.Process(input[i]))));
            target[i] = MathF.Tanh(2.5f * band) / 1.5f;
        }
        output.Advance(input.Length);
    }

    public void Flush(ArrayBufferWriter<float> output)
    {
    }

    public void Dispose()
    {
    }
}
