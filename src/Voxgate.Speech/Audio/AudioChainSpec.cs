namespace Voxgate.Speech.Audio;

/// <summary>A sound effect of MiniMax's <c>voice_modify.sound_effects</c>.</summary>
public enum SoundEffect
{
    None,
    SpaciousEcho,
    AuditoriumEcho,
    LofiTelephone,
    Robotic,
}

/// <summary>What the chain between an engine and an encoder must do (the engine's edge silence is already gone: <see cref="EdgeSilence"/>).</summary>
/// <param name="PitchSemitones">Pitch shift without a change of speed.</param>
/// <param name="Timbre">-100 (fuller) .. 100 (crisper); 0 leaves the voice alone.</param>
/// <param name="Intensity">-100 (softer) .. 100 (stronger); 0 leaves the voice alone.</param>
/// <param name="Watermark">Appends the audible machine-generated marker.</param>
public sealed record AudioChainSpec(
    int InputRate,
    int OutputRate,
    int OutputChannels,
    double Tempo,
    float Gain,
    double PitchSemitones = 0,
    int Timbre = 0,
    int Intensity = 0,
    SoundEffect Effect = SoundEffect.None,
    bool Watermark = false)
{
    /// <summary>
    /// Builds the stages in the cheapest order: time-stretching at the engine's (usually lower) rate,
    /// then resampling; tone, dynamics and effects on the voice; gain; the watermark at its fixed level; and the
    /// channel copy last, so every stage before it works on mono. The chain checks that each stage takes what the one
    /// before it gives, and this that the end is the output format asked for.
    /// </summary>
    public AudioChain Build()
    {
        var stages = new List<IAudioStage>();
        try
        {
            if (Math.Abs(Tempo - 1) > 1e-6 || Math.Abs(PitchSemitones) > 1e-6)
            {
                stages.Add(new TempoStage(InputRate, 1, Tempo, PitchSemitones));
            }
            if (InputRate != OutputRate)
            {
                stages.Add(new ResampleStage(InputRate, OutputRate, 1));
            }
            if (Timbre != 0)
            {
                stages.Add(new ToneStage(OutputRate, Timbre));
            }
            if (Intensity != 0)
            {
                stages.Add(new IntensityStage(OutputRate, Intensity));
            }
            if (EffectStage() is IAudioStage effect)
            {
                stages.Add(effect);
            }
            if (Gain != 1f)
            {
                stages.Add(new VolumeStage(Gain));
            }
            if (Watermark)
            {
                stages.Add(new WatermarkStage(OutputRate));
            }
            if (OutputChannels == 2)
            {
                stages.Add(new MonoToStereoStage());
            }
            var chain = new AudioChain(PcmFormat.Mono(InputRate), stages);
            if (chain.Output != new PcmFormat(OutputRate, OutputChannels))
            {
                throw new ArgumentException($"The stages give {chain.Output}, not the {new PcmFormat(OutputRate, OutputChannels)} asked for.");
            }
            return chain;
        }
        catch
        {
            AudioChain.DisposeStages(stages);
            throw;
        }
    }

    private IAudioStage? EffectStage() => Effect switch
    {
        SoundEffect.SpaciousEcho => new EchoStage(OutputRate, TimeSpan.FromMilliseconds(280), feedback: 0.35f, wet: 0.45f),
        SoundEffect.AuditoriumEcho => new ReverbStage(OutputRate, decay: 0.84f, wet: 0.6f),
        SoundEffect.LofiTelephone => new TelephoneStage(OutputRate),
        SoundEffect.Robotic => new RoboticStage(OutputRate),
        _ => null,
    };
}
