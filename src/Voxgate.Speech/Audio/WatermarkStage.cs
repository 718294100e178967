using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>Passes the voice through and appends <see cref="AudioWatermark.Chime"/> (mono) at the end of the stream.</summary>
public sealed class WatermarkStage(int sampleRate) : IAudioStage
{
    public PcmFormat Input { get; } = PcmFormat.Mono(sampleRate);

    public PcmFormat Output => Input;

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output) => output.Write(input);

    public void Flush(ArrayBufferWriter<float> output) => output.Write(AudioWatermark.Chime(sampleRate));
}
