using Voxgate.Speech.Audio;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Speech.Synthesis;

/// <summary>A validated request with everything resolved: what to say, how, and into what.</summary>
/// <param name="Voice">The local voice, or for an upstream route a description of the provider's voice.</param>
public sealed record SpeechPlan(
    SpeechRequest Request,
    ModelDefinition Model,
    VoiceInfo Voice,
    PreparedText Text,
    EncoderSettings Output,
    SynthesisRoute Route)
{
    public float Gain => (float)Request.Volume;

    /// <summary>Pitch, tone, dynamics, effect and watermark, with the emotion's prosody folded in.</summary>
    public AudioEffects Effects { get; init; } = AudioEffects.None;

    /// <summary>The most audio this request may produce (see <see cref="AudioOptions.MaxAudioSecondsPerCharacter"/>).</summary>
    public TimeSpan MaxAudio { get; init; } = TimeSpan.MaxValue;

    /// <summary>How long the audio is expected to last: the pauses asked for and the speech at its speed.</summary>
    public TimeSpan ExpectedAudio { get; init; }

    /// <summary>About how many bytes the encoded audio will take (from <see cref="ExpectedAudio"/>).</summary>
    public long ExpectedBytes { get; init; }

    /// <summary>About how many bytes a second of the output takes.</summary>
    public long BytesPerSecond { get; init; }

    /// <summary>
    /// The same request planned for the model's next route (catalog <c>Routes</c>), tried when this route fails
    /// before any audio; null when this is the last.
    /// </summary>
    public SpeechPlan? Fallback { get; init; }

    /// <summary>This plan and its fallbacks, in the order they are tried.</summary>
    public IEnumerable<SpeechPlan> Routes
    {
        get
        {
            for (SpeechPlan? plan = this; plan is not null; plan = plan.Fallback)
            {
                yield return plan;
            }
        }
    }
}

/// <summary>What the audio chain does to the voice beyond speed, rate and gain.</summary>
public sealed record AudioEffects(double PitchSemitones = 0, int Timbre = 0, int Intensity = 0, SoundEffect Effect = SoundEffect.None, bool Watermark = false)
{
    public static AudioEffects None { get; } = new();
}

/// <summary>Where a plan is synthesised.</summary>
public abstract record SynthesisRoute
{
    /// <summary>What the work queues on for admission: an engine's name, or <c>upstream:&lt;provider&gt;</c>.</summary>
    public abstract string Capacity { get; }
}

/// <summary>By a local engine, through the audio chain and an encoder.</summary>
/// <param name="EngineSpeed">The part of the speed the engine renders natively.</param>
/// <param name="Tempo">The rest, applied by time-stretching (1 when the engine covers it all).</param>
/// <param name="Mix">Voices blended with the plan's voice, with weights summing to 1 (empty: the voice alone).</param>
public sealed record LocalSynthesis(ISpeechEngine Engine, double EngineSpeed, double Tempo, IReadOnlyList<(VoiceInfo Voice, double Weight)>? Mix = null) : SynthesisRoute
{
    public override string Capacity => Engine.Name;
}

/// <summary>By an upstream provider, whose encoded audio streams straight through.</summary>
public sealed record UpstreamSynthesis(UpstreamRoute Upstream) : SynthesisRoute
{
    public override string Capacity => "upstream:" + Upstream.Provider;
}
