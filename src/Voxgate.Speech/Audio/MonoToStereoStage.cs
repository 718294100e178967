using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>Copies a mono signal to both channels of an interleaved stereo signal, at any rate.</summary>
public sealed class MonoToStereoStage : IAudioStage
{
    public PcmFormat Input { get; } = new(PcmFormat.Any, 1);

    public PcmFormat Output { get; } = new(PcmFormat.Any, 2);

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
}
