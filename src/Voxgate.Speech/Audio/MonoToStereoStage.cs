using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>Copies a mono signal to both channels of an interleaved stereo signal.</summary>
public sealed class MonoToStereoStage : IAudioStage
{
    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        Span<float> target = output.GetSpan(input.Length * 2);
        for (int i = 0; i < input.Length; i++)
        {
            target[2 * i] = input[i];
            target[2 * i + 1] = input[i];
        }
        output.Advance(input.Length * 2);
    }

    public void Flush(ArrayBufferWriter<float> output)
    {
    }

    public void Dispose()
    {
    }
}
