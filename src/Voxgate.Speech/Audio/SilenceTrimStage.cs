using System.Buffers;

namespace Voxgate.Speech.Audio;

/// <summary>
/// Removes the engine's leading and trailing silence from a whole stream, keeping a short pad at each end so the
/// first and last phones are not clipped. Silence inside the stream is kept: the stage holds back each quiet run
/// until it sees whether speech follows.
/// </summary>
public sealed class SilenceTrimStage : IAudioStage
{
    private readonly int _channels;
    private readonly float _threshold;
    private readonly int _leadPadSamples;
    private readonly int _tailPadSamples;
    private readonly ArrayBufferWriter<float> _held = new(4096);
    private bool _speechStarted;
    private long _framesSeen;

    /// <param name="threshold">Absolute amplitude at or below which a sample counts as silence.</param>
    public SilenceTrimStage(int sampleRate, int channels, float threshold, TimeSpan leadPad, TimeSpan tailPad)
    {
        _channels = channels;
        _threshold = threshold;
        _leadPadSamples = (int)(sampleRate * leadPad.TotalSeconds) * channels;
        _tailPadSamples = (int)(sampleRate * tailPad.TotalSeconds) * channels;
    }

    /// <summary>Input frames dropped before the first speech (the lead pad excluded); final once speech has started.</summary>
    public long LeadingFramesDropped { get; private set; }

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        long framesBefore = _framesSeen;
        _framesSeen += input.Length / _channels;
        int lastLoudEnd = LastLoudFrameEnd(input);
        if (lastLoudEnd < 0)
        {
            _held.Write(input);
            if (!_speechStarted)
            {
                KeepLastHeld(_leadPadSamples);
            }
            return;
        }
        int speechStart = 0;
        if (!_speechStarted)
        {
            speechStart = FirstLoudFrameStart(input);
            _held.Write(input[..speechStart]);
            KeepLastHeld(_leadPadSamples);
            _speechStarted = true;
            LeadingFramesDropped = framesBefore + (speechStart - _held.WrittenCount) / _channels;
        }
        output.Write(_held.WrittenSpan); // the lead pad, or a pause that speech has now followed
        _held.ResetWrittenCount();
        output.Write(input[speechStart..lastLoudEnd]);
        _held.Write(input[lastLoudEnd..]);
    }

    public void Flush(ArrayBufferWriter<float> output)
    {
        if (_speechStarted)
        {
            ReadOnlySpan<float> tail = _held.WrittenSpan;
            output.Write(tail[..Math.Min(tail.Length, _tailPadSamples)]);
        }
        _held.ResetWrittenCount();
    }

    public void Dispose()
    {
    }

    private void KeepLastHeld(int samples)
    {
        ReadOnlySpan<float> held = _held.WrittenSpan;
        if (held.Length <= samples)
        {
            return;
        }
        float[] keep = held[^samples..].ToArray();
        _held.ResetWrittenCount();
        _held.Write(keep);
    }

    /// <summary>Index just past the last frame holding a loud sample, or -1.</summary>
    private int LastLoudFrameEnd(ReadOnlySpan<float> input)
    {
        for (int i = input.Length - 1; i >= 0; i--)
        {
            if (MathF.Abs(input[i]) > _threshold)
            {
                return (i / _channels + 1) * _channels;
            }
        }
        return -1;
    }

    private int FirstLoudFrameStart(ReadOnlySpan<float> input)
    {
        for (int i = 0; i < input.Length; i++)
        {
            if (MathF.Abs(input[i]) > _threshold)
            {
                return i / _channels * _channels;
            }
        }
        return input.Length;
    }
}
