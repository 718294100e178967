namespace Voxgate.Speech.Audio;

/// <summary>A feedback echo (MiniMax's <c>spacious_echo</c>): the dry voice plus repeats that fade; the tail rings out at the end.</summary>
public sealed class EchoStage(int sampleRate, TimeSpan delay, float feedback, float wet) : SampleStage(PcmFormat.Mono(sampleRate))
{
    private readonly float[] _line = new float[Math.Max(1, (int)(sampleRate * delay.TotalSeconds))];
    private readonly int _maxTail = sampleRate * 3;
    private int _position;

    /// <summary>Lets the echoes ring out until they fall below -60 dB (at most three seconds).</summary>
    protected override int TailLength
    {
        get
        {
            int repeats = (int)Math.Ceiling(Math.Log(0.001) / Math.Log(Math.Max(feedback, 1e-3)));
            return Math.Min(_maxTail, _line.Length * Math.Max(1, repeats));
        }
    }

    protected override float Next(float sample)
    {
        float delayed = _line[_position];
        _line[_position] = sample + delayed * feedback;
        _position = (_position + 1) % _line.Length;
        return sample + wet * delayed;
    }
}
