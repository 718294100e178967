using System.Buffers;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Audio;

/// <summary>
/// Changes speed without changing pitch (and, optionally, pitch without changing speed) through SoundTouch.
/// SoundTouch pads its last block with silence; the stage cuts the output to exactly input length / tempo.
/// </summary>
public sealed class TempoStage : IAudioStage, IDisposable
{
    private readonly SoundTouch.Handle _soundTouch;
    private readonly int _channels;
    private long _framesIn;
    private long _framesOut;

    public TempoStage(int sampleRate, int channels, double tempo, double pitchSemitones = 0)
    {
        if (tempo is < 0.1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(tempo), tempo, "SoundTouch tempo must lie in 0.1..10.");
        }
        Tempo = tempo;
        _channels = channels;
        _soundTouch = SoundTouch.Create(sampleRate, channels, tempo, pitchSemitones);
        Input = new PcmFormat(sampleRate, channels);
    }

    public double Tempo { get; }

    public PcmFormat Input { get; }

    public PcmFormat Output => Input;

    public void Process(ReadOnlySpan<float> input, ArrayBufferWriter<float> output)
    {
        SoundTouch.Put(_soundTouch, input, _channels);
        _framesIn += input.Length / _channels;
        Receive(output, long.MaxValue);
    }

    public void Flush(ArrayBufferWriter<float> output)
    {
        SoundTouch.Flush(_soundTouch);
        long expected = (long)Math.Round(_framesIn / Tempo);
        Receive(output, expected);
    }

    public void Dispose() => _soundTouch.Dispose();

    private void Receive(ArrayBufferWriter<float> output, long frameLimit)
    {
        const int FramesPerCall = 4096;
        while (_framesOut < frameLimit)
        {
            int frames = (int)Math.Min(FramesPerCall, frameLimit - _framesOut);
            Span<float> target = output.GetSpan(frames * _channels)[..(frames * _channels)];
            int received = SoundTouch.Receive(_soundTouch, target, _channels);
            if (received == 0)
            {
                return;
            }
            output.Advance(received);
            _framesOut += received / _channels;
        }
    }
}
