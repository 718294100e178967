using Microsoft.Extensions.Options;
using Voxgate.Speech.Audio;
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
    IOptions<AudioOptions> audioOptions,
    IOptions<StreamingOptions> streamingOptions,
    SurfaceHints? hints = null)
{
    public const double MinSpeed = 0.25;
    public const double MaxSpeed = 4.0;
    public const double MaxVolume = 10.0;
    public const int MinBitrate = 8_000;
    public const int MaxBitrate = 512_000;
    public const double MaxPitchSemitones = 12;

    /// <summary>The semitones <c>voice_modify.pitch</c> = ±100 adds.</summary>
    public const double VoiceModifyPitchSemitones = 3;

    private readonly AudioOptions _audio = audioOptions.Value;
    private readonly StreamingOptions _streaming = streamingOptions.Value;
    private readonly SurfaceHints _hints = hints ?? SurfaceHints.None;

    /// <summary>Finds a model by id or alias, or says how to find the models there are.</summary>
    public ModelDefinition FindModel(string name) => catalog.Find(name)
        ?? throw new SpeechRequestException(SpeechErrorKind.ModelNotFound, "model",
            $"The model '{name}' does not exist." + SurfaceHints.Sentence(_hints.ModelList, "lists the models this server offers."));

    /// <param name="upstream">Set when the gateway routes the model to its upstream provider: the voice is then the
    /// provider's to judge, and no local engine is involved.</param>
    public SpeechPlan Plan(SpeechRequest request, UpstreamRoute? upstream = null)
    {
        ModelDefinition model = FindModel(request.Model);
        (VoiceInfo Voice, ISpeechEngine Engine)? local = upstream is null ? ResolveVoice(model, request.VoiceMix.Count > 0 ? request.VoiceMix[0].Voice : request.Voice) : null;
        EncoderSettings output = CheckOutput(request);
        AudioEffects effects = CheckEffects(request, local: upstream is null, out double speed);
        if (request.Watermark)
        {
            output = output with { Tags = MachineGeneratedTag.Tags };
        }
        if (local is (VoiceInfo requested, ISpeechEngine requestedEngine) && request.Language is { } language)
        {
            local = ForLanguage(requested, requestedEngine, language, request.Input);
        }
        if (upstream is not null)
        {
            CheckProviderControls(request, upstream);
        }
        // A provider gets the caller's text as it is, with the pronunciations and normalisation asked for: it applies
        // them itself. The local preparation then only counts and splits. A local stream's first segment is cut short.
        var preparation = local is null
            ? new TextPreparation(false, [], null, "upstream")
            : new TextPreparation(request.ExpandForSpeech || request.ExpandForSpeechByDefault, request.Pronunciations,
                local is ({ } v, IPhoneticInput phonetic) ? spelling => phonetic.RenderPhonemes(spelling, v) : null, local.Value.Engine.Name,
                request.Streamed && _streaming.FirstSegmentCut ? _streaming.FirstSegmentWords : 0, local.Value.Voice.Language);
        CheckSsmlRoute(request.Input, upstream is null ? null : upstream.Provider);
        PreparedText text = textPreparer.Prepare(request.Input, preparation);
        if (local is (VoiceInfo planVoice, ISpeechEngine planEngine))
        {
            text = SegmentVoices.Resolve(text, planVoice, planEngine, name => ResolveVoice(model, name), engines.Voices);
        }
        if (!text.HasSpeech)
        {
            throw Invalid("input", "input contains no speakable text: it needs at least one letter or digit.");
        }
        if (request.MaxCharacters is int limit && text.Characters > limit)
        {
            throw new SpeechRequestException(SpeechErrorKind.InputTooLong, "pronunciation_dict",
                $"With its pronunciation dictionary applied the text has {text.Characters} characters; the limit is {limit}. Shorten the replacements or the text.");
        }
        (TimeSpan maxAudio, TimeSpan expectedAudio) = AudioBudget(text, speed);
        long bytesPerSecond = encoders.BytesPerSecond(output);
        long expectedBytes = (long)(expectedAudio.TotalSeconds * bytesPerSecond);
        if (request.MaxAudioBytes is long maxBytes && expectedBytes > maxBytes)
        {
            throw new SpeechRequestException(SpeechErrorKind.OutputTooLarge, "output",
                $"This request would produce about {expectedBytes / 1_000_000.0:0.#} MB of {AudioFormats.Name(output.Format)} audio " +
                $"({expectedAudio.TotalSeconds:0} s), more than the {maxBytes / 1_000_000.0:0.#} MB one answer can carry.");
        }
        CheckReference(request, local?.Engine);
        SpeechPlan plan;
        if (local is not (VoiceInfo voice, ISpeechEngine engine))
        {
            var providerVoice = new VoiceInfo(request.Voice, "upstream:" + upstream!.Provider, request.Voice, "", VoiceGender.Unknown, output.SampleRate);
            plan = new SpeechPlan(request, model, providerVoice, text, output, new UpstreamSynthesis(upstream));
        }
        else
        {
            IReadOnlyList<(VoiceInfo, double)>? mix = request.VoiceMix.Count > 0 ? ResolveMix(model, request.VoiceMix, engine) : null;
            double engineSpeed = engine.NativeSpeed.Clamp(speed);
            plan = new SpeechPlan(request, model, voice, text, output, new LocalSynthesis(engine, engineSpeed, speed / engineSpeed, mix));
        }
        return plan with
        {
            Effects = effects,
            MaxAudio = maxAudio,
            ExpectedAudio = expectedAudio,
            BytesPerSecond = bytesPerSecond,
            ExpectedBytes = expectedBytes,
        };
    }

    /// <summary>Stands in for a stream's text while its plan is made: the text arrives later, in pieces.</summary>
    private const string StreamProbeText = "Voxgate";

    /// <summary>
    /// Plans a request whose text arrives later in pieces (a MiniMax WebSocket task): everything but the text is
    /// checked now, as <see cref="Plan"/> checks it; the plan's text is empty, its audio budget that of no characters
    /// (see <see cref="StreamAudioBudget"/>), and each piece is prepared with <see cref="PrepareMore"/>.
    /// </summary>
    public SpeechPlan PlanStream(SpeechRequest request, UpstreamRoute? upstream = null)
    {
        SpeechPlan plan = Plan(request with { Input = StreamProbeText, MaxCharacters = null, MaxAudioBytes = null }, upstream);
        return plan with
        {
            Request = request,
            Text = new PreparedText("", [], 0, 0),
            MaxAudio = StreamAudioBudget(0),
            ExpectedAudio = TimeSpan.Zero,
            ExpectedBytes = 0,
        };
    }

    /// <summary>Prepares a further piece of a stream's text exactly as <see cref="Plan"/> prepares a whole text for the same plan.</summary>
    /// <param name="first">The stream's first piece: its first segment is cut short as a stream's is (<see cref="StreamingOptions.FirstSegmentCut"/>).</param>
    public PreparedText PrepareMore(SpeechPlan plan, string text, bool first = false)
    {
        SpeechRequest request = plan.Request;
        var preparation = plan.Route is not LocalSynthesis local
            ? new TextPreparation(false, [], null, "upstream")
            : new TextPreparation(request.ExpandForSpeech || request.ExpandForSpeechByDefault, request.Pronunciations,
                local.Engine is IPhoneticInput phonetic ? spelling => phonetic.RenderPhonemes(spelling, plan.Voice) : null, local.Engine.Name,
                first && _streaming.FirstSegmentCut ? _streaming.FirstSegmentWords : 0, plan.Voice.Language);
        CheckSsmlRoute(text, plan.Route is UpstreamSynthesis upstream ? upstream.Upstream.Provider : null);
        PreparedText prepared = textPreparer.Prepare(text, preparation);
        return plan.Route is LocalSynthesis route
            ? SegmentVoices.Resolve(prepared, plan.Voice, route.Engine, name => ResolveVoice(plan.Model, name), engines.Voices)
            : prepared;
    }

    /// <summary>SSML is rendered by the local pipeline; a provider would read its markup aloud, so it is refused there.</summary>
    private static void CheckSsmlRoute(string input, string? provider)
    {
        if (provider is not null && Text.Ssml.SsmlDocument.IsSsml(input))
        {
            throw Invalid("input", $"SSML is rendered by this server's own engines; this model is served by the provider '{provider}'. Send plain text, or choose a local model.");
        }
    }

    /// <summary>The most audio a stream of <paramref name="characters"/> billed characters may produce.</summary>
    public TimeSpan StreamAudioBudget(int characters) =>
        TimeSpan.FromSeconds(Math.Max(_audio.MinAudioBudgetSeconds, characters * _audio.MaxAudioSecondsPerCharacter));

    /// <summary>
    /// Refuses a stream whose text so far asks for more audio (its pauses, and its speech at the plan's speed) than
    /// its billed characters may produce, as <see cref="Plan"/> refuses such a text whole.
    /// </summary>
    public void CheckStreamBudget(SpeechPlan plan, TimeSpan pauses, int spokenCharacters, int characters)
    {
        double speed = plan.Route is LocalSynthesis local ? local.EngineSpeed * local.Tempo : 1;
        TimeSpan max = StreamAudioBudget(characters);
        TimeSpan expected = pauses + TimeSpan.FromSeconds(spokenCharacters * _audio.SpeechSecondsPerCharacter / speed);
        if (expected > max)
        {
            throw Invalid("input", $"The text so far asks for about {expected.TotalSeconds:0} s of audio, {pauses.TotalSeconds:0.##} s of it pauses; " +
                $"{characters} characters may produce at most {max.TotalSeconds:0} s. Use fewer or shorter pause markers.");
        }
    }

    /// <summary>A cloning engine speaks only with a reference recording, and only a cloning engine takes one.</summary>
    private void CheckReference(SpeechRequest request, ISpeechEngine? engine)
    {
        if (engine is IVoiceCloning cloning)
        {
            if (request.Reference is null)
            {
                throw Invalid("voice", $"The voice '{request.Voice}' imitates a recording: use it through a cloned voice's id" +
                    (_hints.VoiceCloning is { } route ? $" ({route})." : "."));
            }
            if (cloning.NeedsTranscript && string.IsNullOrWhiteSpace(request.Reference.Transcript))
            {
                throw Invalid("voice", $"The cloning model behind '{request.Voice}' needs the reference recording's transcript; clone the voice again with clone_prompt.prompt_text.");
            }
        }
        else if (request.Reference is not null && engine is not null)
        {
            throw new InvalidOperationException($"A reference recording was given for voice {request.Voice}, whose engine {engine.Name} cannot clone.");
        }
    }

    /// <summary>
    /// The most audio the request may produce for its billed characters, and how much it is expected to produce;
    /// refuses a request whose pauses and speech would already exceed the budget.
    /// </summary>
    private (TimeSpan Max, TimeSpan Expected) AudioBudget(PreparedText text, double speed)
    {
        var max = TimeSpan.FromSeconds(Math.Max(_audio.MinAudioBudgetSeconds, text.Characters * _audio.MaxAudioSecondsPerCharacter));
        TimeSpan expected = text.Pauses + TimeSpan.FromSeconds(text.SpokenCharacters * _audio.SpeechSecondsPerCharacter / speed);
        if (expected > max)
        {
            throw Invalid("input", $"This request asks for about {expected.TotalSeconds:0} s of audio, {text.Pauses.TotalSeconds:0.##} s of it pauses; " +
                $"a request of {text.Characters} characters may produce at most {max.TotalSeconds:0} s. Use fewer or shorter pause markers.");
        }
        return (max, expected);
    }

    /// <summary>
    /// Refuses voice controls the provider cannot apply. Its audio is relayed as it comes, never through the local
    /// chain, so a control it has no field for would be dropped without a word; a MiniMax provider takes them all.
    /// </summary>
    private static void CheckProviderControls(SpeechRequest request, UpstreamRoute upstream)
    {
        if (UpstreamKind.Is(upstream.Kind, UpstreamKind.MiniMax))
        {
            return;
        }
        (string Parameter, bool Set)[] controls =
        [
            ("pitch", request.PitchSemitones != 0), ("emotion", Emotions.AsksForOne(request.Emotion)), ("normalization", request.ExpandForSpeech),
            ("pronunciation_dict", request.Pronunciations.Count > 0), ("language", request.Language is not null),
            ("voice_modify", request.Modification != VoiceModification.None), ("timber_weights", request.VoiceMix.Count > 0),
            ("aigc_watermark", request.Watermark),
        ];
        if (controls.FirstOrDefault(c => c.Set) is { Parameter: { } parameter })
        {
            throw Invalid(parameter, $"The model '{request.Model}' is served by the OpenAI-compatible provider '{upstream.Provider}', " +
                $"which cannot apply {parameter}; leave it out, or choose a local model.");
        }
    }

    /// <summary>
    /// Checks pitch, emotion and voice modification, and folds the emotion's prosody in: the one asked for, or, for a
    /// local engine, the one OpenAI <c>instructions</c> name (a provider reads its instructions itself).
    /// </summary>
    private static AudioEffects CheckEffects(SpeechRequest request, bool local, out double speed)
    {
        if (!double.IsFinite(request.PitchSemitones) || Math.Abs(request.PitchSemitones) > MaxPitchSemitones)
        {
            throw Invalid("pitch", $"pitch must be between -{MaxPitchSemitones} and {MaxPitchSemitones} semitones; got {request.PitchSemitones}.");
        }
        if (request.Emotion is { } emotion && !Emotions.IsKnown(emotion))
        {
            throw Invalid("emotion", $"emotion must be one of {string.Join(", ", Emotions.Names)}; got '{emotion}'.");
        }
        VoiceModification modification = request.Modification;
        foreach ((string name, int value) in new[] { ("voice_modify.pitch", modification.Pitch), ("voice_modify.intensity", modification.Intensity), ("voice_modify.timbre", modification.Timbre) })
        {
            if (value is < -100 or > 100)
            {
                throw Invalid(name, $"{name} must be between -100 and 100; got {value}.");
            }
        }
        (double semitones, double speedFactor, int intensity) = Emotions.Prosody(request.Emotion ?? (local ? Emotions.FromInstructions(request.Instructions) : null));
        speed = Math.Clamp(request.Speed * speedFactor, MinSpeed, MaxSpeed);
        return new AudioEffects(
            request.PitchSemitones + modification.Pitch / 100.0 * VoiceModifyPitchSemitones + semitones,
            modification.Timbre,
            Math.Clamp(modification.Intensity + intensity, -100, 100),
            modification.Effect,
            request.Watermark);
    }

    /// <summary>
    /// Keeps the voice if it speaks the language; otherwise a voice that does, of the same gender where possible. A
    /// cloned voice is kept whatever the language (it is the caller's own speaker, and its model reads what it can),
    /// and is never the stand-in for another voice: it speaks only with its reference recording.
    /// </summary>
    private (VoiceInfo, ISpeechEngine) ForLanguage(VoiceInfo voice, ISpeechEngine engine, string language, string input)
    {
        string? target = language.Equals("auto", StringComparison.OrdinalIgnoreCase) ? ScriptDetector.Detect(input) : language;
        if (target is null || engine is IVoiceCloning || Speaks(voice, target))
        {
            return (voice, engine);
        }
        IReadOnlyList<VoiceInfo> cloning = engines.CloningVoices;
        VoiceInfo? best = engines.Voices.Where(v => Speaks(v, target) && !cloning.Contains(v))
            .OrderByDescending(v => v.Gender == voice.Gender)
            .ThenByDescending(v => v.Engine == engine.Name)
            .ThenBy(v => v.Language.Length)
            .FirstOrDefault();
        if (best is null || !engines.TryGetVoice(best.Id, out VoiceInfo chosen, out ISpeechEngine chosenEngine))
        {
            throw Invalid("language", $"No voice on this server speaks '{target}'." + SurfaceHints.Sentence(_hints.VoiceList, "lists the languages there are."));
        }
        return (chosen, chosenEngine);
    }

    /// <summary>True when the voice's language is the tag or one of its regional forms (zh counts as cmn).</summary>
    public static bool Speaks(VoiceInfo voice, string language)
    {
        string tag = language.ToLowerInvariant() is "zh" ? "cmn" : language.ToLowerInvariant();
        return voice.Language.Equals(tag, StringComparison.OrdinalIgnoreCase) || voice.Language.StartsWith(tag + "-", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Resolves a blend's voices; they must be the engine's and the engine must be able to mix.</summary>
    private IReadOnlyList<(VoiceInfo, double)> ResolveMix(ModelDefinition model, IReadOnlyList<VoiceWeight> mix, ISpeechEngine engine)
    {
        if (engine is not IVoiceMixing mixing)
        {
            throw Invalid("timber_weights", $"The engine '{engine.Name}' cannot mix voices; use a single voice_id, or a voice of an engine that mixes (Kokoro).");
        }
        if (mix.Count > mixing.MaxVoicesInMix)
        {
            throw Invalid("timber_weights", $"A blend holds at most {mixing.MaxVoicesInMix} voices; got {mix.Count}.");
        }
        var resolved = new List<(VoiceInfo, double)>();
        foreach (VoiceWeight part in mix)
        {
            (VoiceInfo voice, ISpeechEngine voiceEngine) = ResolveVoice(model, part.Voice);
            if (voiceEngine != engine)
            {
                throw Invalid("timber_weights", $"The voices of a blend must share one engine; '{part.Voice}' is {voiceEngine.Name}, not {engine.Name}.");
            }
            if (!double.IsFinite(part.Weight) || part.Weight <= 0)
            {
                throw Invalid("timber_weights", $"The weight of '{part.Voice}' must be positive; got {part.Weight}.");
            }
            resolved.Add((voice, part.Weight));
        }
        double total = resolved.Sum(v => v.Item2);
        return [.. resolved.Select(v => (v.Item1, v.Item2 / total))];
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
    /// A voice is a local voice id (or an engine's alias such as <c>espeak:fr</c>), or a name the model or the catalog
    /// maps: the aliases of the engine serving the model (a preferred neural engine, when loaded) first, then the
    /// model's own, then the catalog's, then the catalog's prefix rules (MiniMax's voice families, such as
    /// <c>Japanese_...</c>).
    /// </summary>
    public (VoiceInfo Voice, ISpeechEngine Engine) ResolveVoice(ModelDefinition model, string name)
    {
        if (engines.TryGetVoice(name, out VoiceInfo voice, out ISpeechEngine engine))
        {
            return (voice, engine);
        }
        string? target = model.Serving(engines.IsLoaded).VoiceAliases.GetValueOrDefault(name)
            ?? model.VoiceAliases.GetValueOrDefault(name) ?? catalog.VoiceAliases.GetValueOrDefault(name) ?? catalog.VoiceForPrefix(name);
        if (target is null)
        {
            throw new SpeechRequestException(SpeechErrorKind.VoiceNotFound, "voice",
                $"The voice '{name}' does not exist." + SurfaceHints.Sentence(_hints.VoiceList, "lists the voices of this server;") +
                " OpenAI's voice names (alloy, ash, ...) and MiniMax's system voice ids are accepted too.");
        }
        if (!engines.TryGetVoice(target, out voice, out engine))
        {
            throw new SpeechRequestException(SpeechErrorKind.VoiceNotFound, "voice",
                $"The voice '{name}' maps to '{target}', which is not available on this server (is its engine installed?)." +
                SurfaceHints.Sentence(_hints.VoiceList, "lists the voices that are."));
        }
        return (voice, engine);
    }

    private static SpeechRequestException Invalid(string parameter, string message) =>
        new(SpeechErrorKind.InvalidParameter, parameter, message);
}
