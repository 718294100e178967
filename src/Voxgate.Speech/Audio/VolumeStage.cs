namespace Voxgate.Speech.Audio;

/// <summary>Multiplies every sample by a gain, at any rate and channel count. Clipping is left to the 16-bit conversion at the encoder.</summary>
public sealed class VolumeStage(float gain) : SampleStage(PcmFormat.Anything)
{
    public float Gain { get; } = gain;

    protected override float Next(float sample) => sample * Gain;
}
