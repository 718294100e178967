using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>
/// Stages applied in order to a stream. Output spans stay valid until the next call; two buffers alternate so no
/// stage reads the buffer it writes.
/// </summary>
public sealed class AudioChain(IReadOnlyList<IAudioStage> stages) : IDisposable
{
    private readonly ArrayBufferWriter<float> _even = new(8192);
    private readonly ArrayBufferWriter<float> _odd = new(8192);

    public IReadOnlyList<IAudioStage> Stages { get; } = stages;

    public ReadOnlySpan<float> Process(ReadOnlySpan<float> input) => Run(input, flush: false);

    /// <summary>End of stream: flushes each stage in order, passing what it releases through the stages after it.</summary>
    public ReadOnlySpan<float> Flush() => Run([], flush: true);

    public void Dispose()
    {
        foreach (IAudioStage stage in Stages)
        {
            stage.Dispose();
        }
    }

    private ReadOnlySpan<float> Run(ReadOnlySpan<float> input, bool flush)
    {
        ReadOnlySpan<float> current = input;
        for (int i = 0; i < Stages.Count; i++)
        {
            ArrayBufferWriter<float> target = i % 2 == 0 ? _even : _odd;
            target.ResetWrittenCount();
            Stages[i].Process(current, target);
            if (flush)
            {
                Stages[i].Flush(target);
            }
            current = target.WrittenSpan;
        }
        return current;
    }
}
