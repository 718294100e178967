namespace Voxgate.Speech.Audio;

/// <summary>
/// Intensity, from softer (-100: 8 dB quieter) to stronger (+100: a 4:1 compressor above -24 dBFS whose makeup gain
/// brings a -12 dBFS voice out 6 dB louder, so quiet parts rise most and the voice is denser, without clipping).
/// MiniMax's <c>voice_modify.intensity</c>; loudness rises monotonically with the setting.
/// </summary>
public sealed class IntensityStage : SampleStage
{
    private const float ThresholdDb = -24f;
    private const float ReferenceDb = -12f;
    private const float MaxLiftDb = 6f;
    private const float MaxCutDb = 8f;

    private readonly float _ratio;
    private readonly float _makeup;
    private readonly float _attack;
    private readonly float _release;
    private float _envelopeDb = -120f;

    public IntensityStage(int sampleRate, int intensity)
        : base(PcmFormat.Mono(sampleRate))
    {
        float amount = Math.Clamp(intensity, -100, 100) / 100f;
        _ratio = amount > 0 ? 1 + 3 * amount : 1;
        float referenceReduction = (ReferenceDb - ThresholdDb) * (1 - 1 / _ratio);
        float makeupDb = amount > 0 ? referenceReduction + MaxLiftDb * amount : MaxCutDb * amount;
        _makeup = MathF.Pow(10, makeupDb / 20);
        _attack = MathF.Exp(-1f / (0.005f * sampleRate));
        _release = MathF.Exp(-1f / (0.120f * sampleRate));
    }

    protected override float Next(float sample)
    {
        float level = 20 * MathF.Log10(MathF.Abs(sample) + 1e-6f);
        float coefficient = level > _envelopeDb ? _attack : _release;
        _envelopeDb = coefficient * _envelopeDb + (1 - coefficient) * level;
        float overDb = Math.Max(0, _envelopeDb - ThresholdDb);
        float reductionDb = overDb - overDb / _ratio;
        float y = sample * _makeup * MathF.Pow(10, -reductionDb / 20);
        return MathF.Tanh(y); // a soft ceiling: strong settings never clip hard
    }
}
