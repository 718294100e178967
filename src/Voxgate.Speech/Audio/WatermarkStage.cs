using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>Passes the voice through and appends <see cref="AudioWatermark.Chime"/> at the end of the stream.</summary>
public sealed class WatermarkStage(int sampleRate) : IAudioStage
{
    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output) => output.Write(input);

    public void Flush(ArrayBufferWriter<float> output) => output.Write(AudioWatermark.Chime(sampleRate));

    public void Dispose()
    {
    }
}
