using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>
/// A stage that maps each sample to one sample of the same format: the loop lives here once, a stage supplies only
/// <see cref="Next"/>. A stage whose filter keeps ringing after the input ends (an echo, a reverb) says how long
/// through <see cref="TailLength"/>, and is fed that much silence on <see cref="Flush"/>.
/// </summary>
public abstract class SampleStage(PcmFormat format) : IAudioStage
{
    public PcmFormat Input { get; } = format;

    public PcmFormat Output => Input;

    /// <summary>Samples the stage still gives after the end of the input (fed with silence); none by default.</summary>
    protected virtual int TailLength => 0;

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        Span<float> target = output.GetSpan(input.Length)[..input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            target[i] = Next(input[i]);
        }
        output.Advance(input.Length);
    }

    public void Flush(ArrayBufferWriter<float> output)
    {
        int tail = TailLength;
        Span<float> target = output.GetSpan(tail)[..tail];
        for (int i = 0; i < tail; i++)
        {
            target[i] = Next(0);
        }
        output.Advance(tail);
    }

    /// <summary>The output for one input sample, advancing the stage's state.</summary>
    protected abstract float Next(float sample);
}
