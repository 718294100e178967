namespace Voxgate.Speech.Audio;

/// <summary>
/// A Schroeder reverberator (four damped comb filters in parallel, two all-passes in series): a hall for MiniMax's
/// <c>auditorium_echo</c>. The tail decays at the end of the stream.
/// </summary>
public sealed class ReverbStage : SampleStage
{
    private static readonly double[] s_combMs = [29.7, 37.1, 41.1, 43.7];
    private static readonly double[] s_allPassMs = [5.0, 1.7];

    private readonly Comb[] _combs;
    private readonly AllPass[] _allPasses;
    private readonly float _wet;
    private readonly int _tail;

    /// <param name="decay">Comb feedback, 0..1: the size of the room.</param>
    public ReverbStage(int sampleRate, float decay, float wet)
        : base(PcmFormat.Mono(sampleRate))
    {
        _combs = [.. s_combMs.Select(ms => new Comb((int)(sampleRate * ms / 1000), decay, damping: 0.3f))];
        _allPasses = [.. s_allPassMs.Select(ms => new AllPass((int)(sampleRate * ms / 1000), 0.7f))];
        _wet = wet;
        _tail = (int)(sampleRate * 1.5);
    }

    protected override int TailLength => _tail;

    protected override float Next(float sample)
    {
        float sum = 0;
        foreach (Comb comb in _combs)
        {
            sum += comb.Process(sample);
        }
        float wet = sum / _combs.Length;
        foreach (AllPass allPass in _allPasses)
        {
            wet = allPass.Process(wet);
        }
        return sample + _wet * wet;
    }

    private sealed class Comb(int length, float feedback, float damping)
    {
        private readonly float[] _buffer = new float[Math.Max(1, length)];
        private int _index;
        private float _store;

        public float Process(float input)
        {
            float output = _buffer[_index];
            _store = output * (1 - damping) + _store * damping;
            _buffer[_index] = input + _store * feedback;
            _index = (_index + 1) % _buffer.Length;
            return output;
        }
    }

    private sealed class AllPass(int length, float gain)
    {
        private readonly float[] _buffer = new float[Math.Max(1, length)];
        private int _index;

        public float Process(float input)
        {
            float delayed = _buffer[_index];
            float output = -input * gain + delayed;
            _buffer[_index] = input + delayed * gain;
            _index = (_index + 1) % _buffer.Length;
            return output;
        }
    }
}
