using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>A robot voice (MiniMax's <c>robotic</c>): ring modulation by a 60 Hz carrier, mixed with a little of the dry voice.</summary>
public sealed class RoboticStage(int sampleRate) : IAudioStage
{
    private const double CarrierHz = 60;
    private readonly double _step = 2 * Math.PI * CarrierHz / sampleRate;
    private double _phase;

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        Span<float> target = output.GetSpan(input.Length)[..input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            target[i] = 0.8f * input[i] * (float)Math.Sin(_phase) + 0.2f * input[i];
            _phase = (_phase + _step) % (2 * Math.PI);
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
