namespace Voxgate.Speech.Audio;

/// <summary>What the chain between an engine and an encoder must do.</summary>
/// <param name="TrimThreshold">Silence trimming threshold; null leaves the engine's silence alone.</param>
public sealed record AudioChainSpec(
    int InputRate,
    int OutputRate,
    int OutputChannels,
    double Tempo,
    float Gain,
    float? TrimThreshold,
    TimeSpan LeadingPad,
    TimeSpan TrailingPad)
{
    /// <summary>
    /// Builds the stages in the cheapest order: trimming and time-stretching at the engine's (usually lower) rate,
    /// then resampling, gain, and finally the channel copy, so every stage before it works on mono.
    /// </summary>
    public AudioChain Build()
    {
        var stages = new List<IAudioStage>();
        try
        {
            if (TrimThreshold is float threshold)
            {
                stages.Add(new SilenceTrimStage(InputRate, 1, threshold, LeadingPad, TrailingPad));
            }
            if (Math.Abs(Tempo - 1) > 1e-6)
            {
                stages.Add(new TempoStage(InputRate, 1, Tempo));
            }
            if (InputRate != OutputRate)
            {
                stages.Add(new ResampleStage(InputRate, OutputRate, 1));
            }
            if (Gain != 1f)
            {
                stages.Add(new VolumeStage(Gain));
            }
            if (OutputChannels == 2)
            {
                stages.Add(new MonoToStereoStage());
            }
            return new AudioChain(stages);
        }
        catch
        {
            stages.ForEach(s => s.Dispose());
            throw;
        }
    }
}
