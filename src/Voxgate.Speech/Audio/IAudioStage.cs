using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>
/// One step of the audio chain over interleaved float samples. A stage may hold samples back (a filter's delay,
/// silence it has not decided about yet) and must give them up on <see cref="Flush"/> at the end of the stream.
/// One instance per stream, used by one thread at a time. A stage that owns native state is also
/// <see cref="IDisposable"/>; <see cref="AudioChain"/> disposes those.
/// </summary>
public interface IAudioStage
{
    /// <summary>The format this stage reads (<see cref="PcmFormat.Any"/> parts: not constrained).</summary>
    PcmFormat Input { get; }

    /// <summary>The format this stage writes (<see cref="PcmFormat.Any"/> parts: the same as its input).</summary>
    PcmFormat Output { get; }

    /// <summary>Consumes all of <paramref name="input"/> and appends whatever output is ready.</summary>
    void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output);

    /// <summary>End of stream: appends everything still held.</summary>
    void Flush(ArrayBufferWriter<float> output);
}
