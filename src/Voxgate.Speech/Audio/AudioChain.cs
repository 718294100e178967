using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>
/// Stages applied in order to a stream. Output spans stay valid until the next call; two buffers alternate so no
/// stage reads the buffer it writes. The formats are checked when the chain is composed: each stage must take what
/// the one before it gives (the first, the chain's input), so a mismatch is refused here, naming both stages, rather
/// than heard as noise.
/// </summary>
public sealed class AudioChain : IDisposable
{
    private readonly ArrayBufferWriter<float> _even = new(8192);
    private readonly ArrayBufferWriter<float> _odd = new(8192);

    /// <exception cref="ArgumentException">A stage cannot take what comes before it.</exception>
    public AudioChain(PcmFormat input, IReadOnlyList<IAudioStage> stages)
    {
        if (input.SampleRate <= 0 || input.Channels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input, "A chain's input needs a concrete rate and channel count.");
        }
        PcmFormat current = input;
        string source = "the chain's input";
        foreach (IAudioStage stage in stages)
        {
            if (!current.Fits(stage.Input))
            {
                throw new ArgumentException(
                    $"{stage.GetType().Name} takes {stage.Input}, but {source} gives {current}.", nameof(stages));
            }
            current = current.Through(stage.Output);
            source = stage.GetType().Name;
        }
        Input = input;
        Output = current;
        Stages = stages;
    }

    public IReadOnlyList<IAudioStage> Stages { get; }

    public PcmFormat Input { get; }

    /// <summary>What the last stage gives (the input, for an empty chain).</summary>
    public PcmFormat Output { get; }

    public ReadOnlySpan<float> Process(ReadOnlySpan<float> input) => Run(input, flush: false);

    /// <summary>End of stream: flushes each stage in order, passing what it releases through the stages after it.</summary>
    public ReadOnlySpan<float> Flush() => Run([], flush: true);

    /// <summary>Releases the native state of the stages that own some.</summary>
    public void Dispose() => DisposeStages(Stages);

    internal static void DisposeStages(IEnumerable<IAudioStage> stages)
    {
        foreach (IDisposable stage in stages.OfType<IDisposable>())
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
