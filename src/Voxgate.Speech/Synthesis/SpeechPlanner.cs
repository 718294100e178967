using Microsoft.Extensions.Options;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Validates a <see cref="SpeechRequest"/> and resolves it into a <see cref="SpeechPlan"/>. Every surface goes through
/// here, so a value is accepted or refused the same way whichever API carried it. Parameter names in errors are the
/// canonical ones; surfaces rename them to their own field names.
/// </summary>
public sealed class SpeechPlanner(
    ModelCatalog catalog,
    SpeechEngineRegistry engines,
    TextPreparer textPreparer,
    AudioEncoderFactory encoders,
    IOptions<AudioOptions> audioOptions)
{
    public const double MinSpeed = 0.25;
    public const double MaxSpeed = 4.0;
    public const double MaxVolume = 10.0;
    public const int MinBitrate = 8_000;
    public const int MaxBitrate = 512_000;

    private readonly AudioOptions _audio = audioOptions.Value;

    /// <summary>Finds a model by id or alias, or says how to find the models there are.</summary>
    public ModelDefinition FindModel(string name) => catalog.Find(name)
        ?? throw new SpeechRequestException(SpeechErrorKind.ModelNotFound, "model",
            $"The model '{name}' does not exist. GET /v1/models lists the models this server offers.");

    /// <param name="upstream">Set when the gateway routes the model to its upstream provider: the voice is then the
    /// provider's to judge, and no local engine is involved.</param>
    public SpeechPlan Plan(SpeechRequest request, UpstreamRoute? upstream = null)
    {
        ModelDefinition model = FindModel(request.Model);
        (VoiceInfo Voice, ISpeechEngine Engine)? local = upstream is null ? ResolveVoice(model, request.Voice) : null;
        EncoderSettings output = CheckOutput(request);
        PreparedText text = textPreparer.Prepare(request.Input);
        if (text.Segments.Count == 0)
        {
            throw Invalid("input", "input contains no speakable text: it needs at least one letter or digit.");
        }
        if (local is not (VoiceInfo voice, ISpeechEngine engine))
        {
            var providerVoice = new VoiceInfo(request.Voice, "upstream:" + upstream!.Provider, request.Voice, "", VoiceGender.Unknown, output.SampleRate);
            return new SpeechPlan(request, model, providerVoice, text, output, new UpstreamSynthesis(upstream));
        }
        double engineSpeed = engine.NativeSpeed.Clamp(request.Speed);
        return new SpeechPlan(request, model, voice, text, output, new LocalSynthesis(engine, engineSpeed, request.Speed / engineSpeed));
    }

    /// <summary>Checks the ranges every surface shares and returns what the encoder must produce.</summary>
    private EncoderSettings CheckOutput(SpeechRequest request)
    {
        if (!double.IsFinite(request.Speed) || request.Speed < MinSpeed || request.Speed > MaxSpeed)
        {
            throw Invalid("speed", $"speed must be between {MinSpeed} and {MaxSpeed}; got {request.Speed}.");
        }
        if (!double.IsFinite(request.Volume) || request.Volume <= 0 || request.Volume > MaxVolume)
        {
            throw Invalid("volume", $"volume must be greater than 0 and at most {MaxVolume}; got {request.Volume}.");
        }
        if (!encoders.IsEnabled(request.Format))
        {
            throw Invalid("response_format", $"The {AudioFormats.Name(request.Format)} format is disabled on this server; " +
                $"use one of {string.Join(", ", AudioFormats.All.Where(encoders.IsEnabled).Select(AudioFormats.Name))}.");
        }
        int sampleRate = request.SampleRate ?? _audio.DefaultSampleRate;
        if (!AudioFormats.SampleRates.Contains(sampleRate))
        {
            throw Invalid("sample_rate", $"sample_rate must be one of {string.Join(", ", AudioFormats.SampleRates)}; got {sampleRate}.");
        }
        if (request.Channels is not (1 or 2))
        {
            throw Invalid("channels", $"channels must be 1 or 2; got {request.Channels}.");
        }
        if (request.Bitrate != 0 && (request.Bitrate < MinBitrate || request.Bitrate > MaxBitrate))
        {
            throw Invalid("bitrate", $"bitrate must be between {MinBitrate} and {MaxBitrate} bits per second; got {request.Bitrate}.");
        }
        return new EncoderSettings(request.Format, sampleRate, request.Channels, request.Bitrate);
    }

    /// <summary>
    /// A voice is a local voice id, or a name the model maps (its own aliases first, then the catalog's aliases
    /// when they point at the model's engine, else the model's default voice for a known alias).
    /// </summary>
    public (VoiceInfo Voice, ISpeechEngine Engine) ResolveVoice(ModelDefinition model, string name)
    {
        if (engines.TryGetVoice(name, out VoiceInfo voice, out ISpeechEngine engine))
        {
            return (voice, engine);
        }
        string? target = model.VoiceAliases.GetValueOrDefault(name);
        if (target is null && catalog.VoiceAliases.TryGetValue(name, out string? global))
        {
            target = global.StartsWith(model.Engine + ":", StringComparison.OrdinalIgnoreCase) || model.DefaultVoice is null
                ? global
                : model.DefaultVoice;
        }
        if (target is null)
        {
            throw new SpeechRequestException(SpeechErrorKind.VoiceNotFound, "voice",
                $"The voice '{name}' does not exist. GET /v1/audio/voices lists the voices of this server; " +
                $"the names {string.Join(", ", catalog.VoiceAliases.Keys.Order())} are accepted too.");
        }
        if (!engines.TryGetVoice(target, out voice, out engine))
        {
            throw new SpeechRequestException(SpeechErrorKind.VoiceNotFound, "voice",
                $"The voice '{name}' maps to '{target}', which is not available on this server (is its engine installed?). " +
                "GET /v1/audio/voices lists the voices that are.");
        }
        return (voice, engine);
    }

    private static SpeechRequestException Invalid(string parameter, string message) =>
        new(SpeechErrorKind.InvalidParameter, parameter, message);
}
