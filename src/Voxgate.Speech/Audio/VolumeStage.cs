using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>Multiplies every sample by a gain. Clipping is left to the 16-bit conversion at the encoder.</summary>
public sealed class VolumeStage(float gain) : IAudioStage
{
    public float Gain { get; } = gain;

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        Span<float> target = output.GetSpan(input.Length)[..input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            target[i] = input[i] * Gain;
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
