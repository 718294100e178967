using System.Buffers;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Audio;

/// <summary>Band-limited sample-rate conversion through libsoxr (its "high quality" recipe).</summary>
public sealed class ResampleStage : IAudioStage, IDisposable
{
    private readonly Soxr.Handle _soxr;
    private readonly int _channels;
    private readonly double _ratio;

    public ResampleStage(int inputRate, int outputRate, int channels)
    {
        _soxr = Soxr.Create(inputRate, outputRate, channels);
        _channels = channels;
        _ratio = (double)outputRate / inputRate;
        Input = new PcmFormat(inputRate, channels);
        Output = new PcmFormat(outputRate, channels);
    }

    public PcmFormat Input { get; }

    public PcmFormat Output { get; }

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        while (!input.IsEmpty)
        {
            int room = ((int)Math.Ceiling(input.Length / _channels * _ratio) + 64) * _channels;
            (int consumed, int written) = Soxr.Process(_soxr, input, endOfInput: false, output.GetSpan(room)[..room], _channels);
            output.Advance(written);
            input = input[consumed..];
        }
    }

    public void Flush(ArrayBufferWriter<float> output)
    {
        const int Room = 4096;
        int written;
        do
        {
            int room = Room * _channels;
            (_, written) = Soxr.Process(_soxr, [], endOfInput: true, output.GetSpan(room)[..room], _channels);
            output.Advance(written);
        }
        while (written > 0);
    }

    public void Dispose() => _soxr.Dispose();
}
