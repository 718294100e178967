using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>
/// One step of the audio chain over interleaved float samples. A stage may hold samples back (a filter's delay,
/// silence it has not decided about yet) and must give them up on <see cref="Flush"/> at the end of the stream.
/// One instance per stream, used by one thread at a time.
/// </summary>
public interface IAudioStage : IDisposable
{
    /// <summary>Consumes all of <paramref name="input"/> and appends whatever output is ready.</summary>
    void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output);

    /// <summary>End of stream: appends everything still held.</summary>
    void Flush(ArrayBufferWriter<float> output);
}
