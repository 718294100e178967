namespace Voxgate.Speech.Audio;

/// <summary>A robot voice (MiniMax's <c>robotic</c>): ring modulation by a 60 Hz carrier, mixed with a little of the dry voice.</summary>
public sealed class RoboticStage(int sampleRate) : SampleStage(PcmFormat.Mono(sampleRate))
{
    private const double CarrierHz = 60;
    private readonly double _step = 2 * Math.PI * CarrierHz / sampleRate;
    private double _phase;

    protected override float Next(float sample)
    {
        float result = 0.8f * sample * (float)Math.Sin(_phase) + 0.2f * sample;
        _phase = (_phase + _step) % (2 * Math.PI);
        return result;
    }
}
