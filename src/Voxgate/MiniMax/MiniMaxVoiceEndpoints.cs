using System.Globalization;
using System.Text.Json;
using Voxgate.Auth;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Voices;
using Voxgate.Http;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;

namespace Voxgate.MiniMax;

/// <summary>
/// MiniMax's voice management on the one voice store: <c>get_voice</c>, <c>voice_clone</c>, <c>voice_design</c>,
/// <c>delete_voice</c>, and the checks of the recordings <c>files/upload</c> takes for them. Previews (demo and trial
/// audio) are spoken through the gateway, so they are charged and recorded like a t2a request.
/// </summary>
public static class MiniMaxVoiceEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;
    private const int MaxCloneTextCharacters = 1000;
    private const int MaxDesignPreviewCharacters = 500;
    private const int MaxPromptCharacters = 2000;
    private const string DemoPurpose = "voice_clone_demo";

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/get_voice", GetVoicesAsync).WithSummary("Lists the voices: the server's (system_voice) and the caller's cloned and designed voices.");
        v1.MapPost("/voice_clone", CloneAsync).WithSummary("Clones a voice from an uploaded recording (purpose voice_clone).");
        v1.MapPost("/voice_design", DesignAsync).WithSummary("Designs a voice from a description; returns its ttv-voice id and a trial.");
        v1.MapPost("/delete_voice", DeleteAsync).WithSummary("Deletes one of the caller's cloned or designed voices.");
    }

    /// <summary>The rule an upload of this purpose must meet, or null for purposes that are not recordings.</summary>
    public static RecordingRule? RecordingRuleFor(string purpose) => purpose switch
    {
        "voice_clone" => RecordingRule.VoiceClone,
        "prompt_audio" => RecordingRule.PromptAudio,
        _ => null,
    };

    /// <summary>Refuses an upload that does not decode as a recording of the purpose's kind and length (2013, saying why).</summary>
    public static void CheckUpload(RecordingRule rule, byte[] content, VoiceOptions options)
    {
        try
        {
            VoiceRecordings.Check(content, rule, "file", options.MaxUploadBytes, keepSamples: false);
        }
        catch (VoiceException ex)
        {
            throw new GatewayInputException("file", ex.Message);
        }
    }

    private static Task GetVoicesAsync(HttpContext http, VoiceService voices, SpeechEngineRegistry engines, ModelCatalog catalog) =>
        MiniMaxEndpoints.AnswerAsync(http, async account =>
        {
            using JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            string type = JsonFields.String(body.RootElement, "voice_type") ?? "all";
            if (type is not ("system" or "voice_cloning" or "voice_generation" or "all"))
            {
                throw new GatewayInputException("voice_type", $"voice_type must be system, voice_cloning, voice_generation or all; got '{Short(type)}'.");
            }
            var answer = new Dictionary<string, object?>();
            if (type is "system" or "all")
            {
                answer["system_voice"] = SystemVoices(engines, catalog);
            }
            if (type != "system")
            {
                IReadOnlyList<CustomVoice> own = await voices.ListAsync(account, http.RequestAborted);
                if (type is "voice_cloning" or "all")
                {
                    answer["voice_cloning"] = own.Where(v => v.Kind == VoiceKind.Cloned).Select(Describe).ToList();
                }
                if (type is "voice_generation" or "all")
                {
                    answer["voice_generation"] = own.Where(v => v.Kind == VoiceKind.Designed).Select(Describe).ToList();
                }
            }
            return answer;
        });

    /// <summary>Every voice the server speaks: the engines' own (neural models' included) and the names the catalog maps to them.</summary>
    private static List<Dictionary<string, object?>> SystemVoices(SpeechEngineRegistry engines, ModelCatalog catalog)
    {
        var cloning = new HashSet<string>(engines.CloningVoices.Select(v => v.Id), StringComparer.OrdinalIgnoreCase);
        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var voices = new List<Dictionary<string, object?>>();
        foreach (VoiceInfo voice in engines.Voices.Where(v => !cloning.Contains(v.Id)))
        {
            if (listed.Add(voice.Id))
            {
                voices.Add(SystemVoice(voice.Id, voice.Name, [voice.Language, voice.Gender.ToString().ToLowerInvariant(), voice.Engine,
                    .. voice.Description is null ? Array.Empty<string>() : [voice.Description]]));
            }
        }
        IEnumerable<KeyValuePair<string, string>> aliases = catalog.VoiceAliases
            .Concat(catalog.Models.SelectMany(m => m.VoiceAliases.Concat(m.Serving(engines.IsLoaded).VoiceAliases)));
        foreach ((string name, string target) in aliases)
        {
            if (engines.TryGetVoice(target, out VoiceInfo voice, out _) && listed.Add(name))
            {
                voices.Add(SystemVoice(name, name.Replace('_', ' '), [voice.Language, voice.Gender.ToString().ToLowerInvariant(), $"spoken by {voice.Id}"]));
            }
        }
        return voices;
    }

    private static Dictionary<string, object?> SystemVoice(string id, string name, string[] description) => new()
    {
        ["voice_id"] = id,
        ["voice_name"] = name,
        ["description"] = description,
    };

    private static Dictionary<string, object?> Describe(CustomVoice voice) => new()
    {
        ["voice_id"] = voice.Id,
        ["voice_name"] = voice.Name,
        ["description"] = voice.Kind == VoiceKind.Designed ? new[] { voice.Name } : Array.Empty<string>(),
        ["created_time"] = CreatedTime(voice),
    };

    private static string CreatedTime(CustomVoice voice) => voice.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Task CloneAsync(HttpContext http, VoiceService voices, VoicePreview preview, FileService files, SpeechGateway gateway, UpstreamVoices upstream) =>
        MiniMaxEndpoints.AnswerAsync(http, account => Refusing(async () =>
        {
            using JsonDocument document = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            JsonElement body = document.RootElement;
            Caller caller = ApiKeyEndpointFilter.CallerOf(http);
            long fileId = MiniMaxEndpoints.Id(body, "file_id");
            string voiceId = JsonFields.String(body, "voice_id") ?? "";
            voices.CheckVoiceId(voiceId);
            string? text = JsonFields.String(body, "text");
            string? model = JsonFields.String(body, "model");
            if (text is not null)
            {
                if (text.Length == 0 || TextMetrics.CountCharacters(text) > MaxCloneTextCharacters)
                {
                    throw new GatewayInputException("text", $"text, the preview, is 1 to {MaxCloneTextCharacters} characters.");
                }
                if (string.IsNullOrEmpty(model))
                {
                    throw new GatewayInputException("model", "model is required with text: the preview is spoken (and billed) with it.");
                }
            }
            double accuracy = JsonFields.Number(body, "accuracy") ?? 0.7;
            if (accuracy is < 0 or > 1)
            {
                throw new GatewayInputException("accuracy", $"accuracy is between 0 and 1; got {accuracy}.");
            }
            string? textValidation = JsonFields.String(body, "text_validation");
            if (textValidation is { Length: > 200 })
            {
                throw new GatewayInputException("text_validation", "text_validation is at most 200 characters.");
            }
            bool watermark = JsonFields.Boolean(body, "aigc_watermark") ?? false;
            var cleaning = new ReferenceCleaning(JsonFields.Boolean(body, "need_noise_reduction") ?? false, JsonFields.Boolean(body, "need_volume_normalization") ?? false);
            Speech.Upstreams.UpstreamRoute? route = await upstream.RouteAsync(caller, model ?? voices.Options.PreviewModel, http.RequestAborted);
            if (route is null)
            {
                voices.RequireCloningVoice(); // a clear refusal before any recording is read
            }
            if (text is null)
            {
                // Nothing is synthesised: the request counts against the key's requests per minute like an upload.
                await gateway.AdmitRequestAsync(caller, "voice_clone", http.TraceIdentifier, http.RequestAborted);
            }

            DecodedAudio recording = await ReadRecordingAsync(files, account, fileId, RecordingRule.VoiceClone, "file_id", voices.Options, http.RequestAborted);
            DecodedAudio? prompt = null;
            string? promptText = null;
            if (JsonFields.TryGet(body, "clone_prompt", out JsonElement clonePrompt))
            {
                if (clonePrompt.ValueKind != JsonValueKind.Object)
                {
                    throw new GatewayInputException("clone_prompt", "clone_prompt is {\"prompt_audio\": <file_id>, \"prompt_text\": \"...\"}.");
                }
                prompt = await ReadRecordingAsync(files, account, MiniMaxEndpoints.Id(clonePrompt, "prompt_audio"), RecordingRule.PromptAudio,
                    "clone_prompt.prompt_audio", voices.Options, http.RequestAborted);
                promptText = JsonFields.String(clonePrompt, "prompt_text", "clone_prompt.prompt_text");
                if (string.IsNullOrWhiteSpace(promptText) || promptText.Length > MaxCloneTextCharacters)
                {
                    throw new GatewayInputException("clone_prompt.prompt_text", "clone_prompt.prompt_text, the words of prompt_audio, is required (at most 1000 characters).");
                }
            }
            string demo = "";
            if (route is not null)
            {
                // The model is the provider's: the voice is made there, and recorded here as this account's.
                var relayed = new Dictionary<string, object?>
                {
                    ["text"] = text,
                    ["language_boost"] = JsonFields.String(body, "language_boost"),
                    ["text_validation"] = textValidation,
                    ["accuracy"] = accuracy,
                    ["need_noise_reduction"] = cleaning.ReduceNoise,
                    ["need_volume_normalization"] = cleaning.Normalize,
                    ["aigc_watermark"] = watermark,
                };
                (CustomVoice relayedVoice, byte[]? demoAudio) = await upstream.CloneAsync(caller, account, voiceId, route,
                    await RawAsync(files, account, fileId, http.RequestAborted),
                    prompt is null ? null : (await RawAsync(files, account, MiniMaxEndpoints.Id(clonePrompt, "prompt_audio"), http.RequestAborted)) with { Text = promptText },
                    relayed, text is null ? null : new SpeechRequest { Model = model!, Input = text, Voice = voiceId, MaxCharacters = MaxCloneTextCharacters },
                    http.TraceIdentifier, http.RequestAborted);
                if (demoAudio is not null)
                {
                    StoredFile stored = await files.SaveAsync(account, DemoPurpose, $"{relayedVoice.Id}-demo.mp3", files.Options.OutputLifetime,
                        (stream, token) => stream.WriteAsync(demoAudio, token).AsTask(), CancellationToken.None);
                    demo = MiniMaxLinks.Download(http, files, stored, files.Options.OutputLifetime);
                }
                return CloneAnswer(relayedVoice, demo);
            }
            CustomVoice voice = await voices.CloneAsync(account, voiceId, voiceId, new CloneSource(recording, prompt, promptText, cleaning), http.RequestAborted);
            if (text is not null)
            {
                PreviewAudio audio = await SpeakPreviewAsync(voices, preview, voice, caller, new SpeechRequest
                {
                    Model = model!,
                    Input = text,
                    Voice = voice.Id,
                    Format = AudioFormat.Mp3,
                    Language = LanguageOf(body),
                    Watermark = watermark,
                    MaxCharacters = MaxCloneTextCharacters,
                }, http);
                StoredFile stored = await files.SaveAsync(account, DemoPurpose, $"{voice.Id}-demo.mp3", files.Options.OutputLifetime,
                    (stream, token) => stream.WriteAsync(audio.Audio, token).AsTask(), CancellationToken.None);
                demo = MiniMaxLinks.Download(http, files, stored, files.Options.OutputLifetime);
            }
            return CloneAnswer(voice, demo);
        }));

    private static Dictionary<string, object?> CloneAnswer(CustomVoice voice, string demo) => new()
    {
        ["voice_id"] = voice.Id,
        ["demo_audio"] = demo,
        ["input_sensitive"] = new Dictionary<string, object> { ["type"] = 0 },
    };

    /// <summary>An uploaded recording's bytes; with <paramref name="purpose"/>, refused unless uploaded for it.</summary>
    private static async Task<RelayedRecording> RawAsync(FileService files, long account, long fileId, CancellationToken cancellationToken,
        string? purpose = null, string parameter = "file_id")
    {
        StoredFile file = await files.GetAsync(account, fileId, cancellationToken);
        if (purpose is not null && file.Purpose != purpose)
        {
            throw new GatewayInputException(parameter, $"File {fileId} was uploaded with purpose {file.Purpose}; {parameter} needs a file uploaded with purpose {purpose}.");
        }
        using var content = new MemoryStream();
        await using (Stream stored = files.OpenRead(file))
        {
            await stored.CopyToAsync(content, cancellationToken);
        }
        return new RelayedRecording(content.ToArray(), file.Filename);
    }

    private static Task DesignAsync(HttpContext http, VoiceService voices, VoicePreview preview, UpstreamVoices upstream) =>
        MiniMaxEndpoints.AnswerAsync(http, account => Refusing(async () =>
        {
            using JsonDocument document = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            JsonElement body = document.RootElement;
            string prompt = JsonFields.String(body, "prompt") ?? "";
            if (string.IsNullOrWhiteSpace(prompt) || prompt.Length > MaxPromptCharacters)
            {
                throw new GatewayInputException("prompt", $"prompt, the description of the voice, is required (at most {MaxPromptCharacters} characters).");
            }
            string previewText = JsonFields.String(body, "preview_text") ?? "";
            if (string.IsNullOrWhiteSpace(previewText) || TextMetrics.CountCharacters(previewText) > MaxDesignPreviewCharacters)
            {
                throw new GatewayInputException("preview_text", $"preview_text, what the trial says, is 1 to {MaxDesignPreviewCharacters} characters.");
            }
            string model = JsonFields.String(body, "model") ?? voices.Options.PreviewModel;
            bool watermark = JsonFields.Boolean(body, "aigc_watermark") ?? false;
            Caller caller = ApiKeyEndpointFilter.CallerOf(http);
            var request = new SpeechRequest
            {
                Model = model,
                Input = previewText,
                Voice = "",
                Format = AudioFormat.Mp3,
                Watermark = watermark,
                MaxCharacters = MaxDesignPreviewCharacters,
            };
            if (await upstream.RouteAsync(caller, model, http.RequestAborted) is not null)
            {
                // The model is the provider's: the voice is designed there, and recorded here as this account's.
                (CustomVoice relayed, byte[] relayedTrial) = await upstream.DesignAsync(caller, account, JsonFields.String(body, "voice_id"), prompt, request,
                    http.TraceIdentifier, http.RequestAborted);
                return new Dictionary<string, object?> { ["voice_id"] = relayed.Id, ["trial_audio"] = Convert.ToHexStringLower(relayedTrial) };
            }
            (CustomVoice voice, _) = await voices.DesignAsync(account, JsonFields.String(body, "voice_id"), prompt, http.RequestAborted, model);
            PreviewAudio trial = await SpeakPreviewAsync(voices, preview, voice, caller, request with { Voice = voice.Id }, http);
            return new Dictionary<string, object?>
            {
                ["voice_id"] = voice.Id,
                ["trial_audio"] = Convert.ToHexStringLower(trial.Audio),
            };
        }));

    private static Task DeleteAsync(HttpContext http, UpstreamVoices voices) =>
        MiniMaxEndpoints.AnswerAsync(http, account => Refusing(async () =>
        {
            using JsonDocument document = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            JsonElement body = document.RootElement;
            VoiceKind kind = JsonFields.String(body, "voice_type") switch
            {
                "voice_cloning" => VoiceKind.Cloned,
                "voice_generation" => VoiceKind.Designed,
                var other => throw new GatewayInputException("voice_type", $"voice_type must be voice_cloning or voice_generation; got '{Short(other ?? "")}'."),
            };
            string voiceId = JsonFields.String(body, "voice_id") ?? throw new GatewayInputException("voice_id", "voice_id is required.");
            CustomVoice deleted = await voices.DeleteAsync(ApiKeyEndpointFilter.CallerOf(http), account, voiceId, kind, http.RequestAborted);
            return new Dictionary<string, object?> { ["voice_id"] = deleted.Id, ["created_time"] = CreatedTime(deleted) };
        }));

    /// <summary>Speaks a new voice's preview; if that fails (the wallet, a limit), the voice is undone, its id left free.</summary>
    private static async Task<PreviewAudio> SpeakPreviewAsync(VoiceService voices, VoicePreview preview, CustomVoice voice, Caller caller,
        SpeechRequest request, HttpContext http)
    {
        try
        {
            return await preview.SpeakAsync(caller, request, http.TraceIdentifier, http.RequestAborted);
        }
        catch
        {
            await voices.UndoCreateAsync(voice);
            throw;
        }
    }

    private static string? LanguageOf(JsonElement body) =>
        JsonFields.String(body, "language_boost") is { } boost
            ? Speech.Upstreams.MiniMaxVocabulary.TryGetLanguage(boost, out string tag) ? tag
                : throw new GatewayInputException("language_boost", $"'{Short(boost)}' is not a MiniMax language_boost value.")
            : null;

    private static async Task<DecodedAudio> ReadRecordingAsync(FileService files, long account, long fileId, RecordingRule rule, string parameter,
        VoiceOptions options, CancellationToken cancellationToken)
    {
        RelayedRecording recording = await RawAsync(files, account, fileId, cancellationToken, rule.Purpose, parameter);
        return VoiceRecordings.Check(recording.Content, rule, parameter, options.MaxUploadBytes);
    }

    /// <summary>Runs a voice action, reporting its refusals with MiniMax's voice codes.</summary>
    private static async Task<Dictionary<string, object?>> Refusing(Func<Task<Dictionary<string, object?>>> action)
    {
        try
        {
            return await action();
        }
        catch (VoiceException ex)
        {
            throw new MiniMaxRefusalException(Status(ex));
        }
        catch (Speech.Upstreams.UpstreamException ex)
        {
            throw new MiniMaxRefusalException(MiniMaxStatus.From(ex, byok: false));
        }
    }

    public static MiniMaxStatus Status(VoiceException ex) => ex.Kind switch
    {
        VoiceErrorKind.Duplicate => new(MiniMaxStatus.DuplicateVoice, $"duplicate voice_id: {ex.Message}"),
        VoiceErrorKind.Duration => new(MiniMaxStatus.VoiceDuration, $"voice duration too short or too long: {ex.Message}"),
        VoiceErrorKind.PromptTooLong => new(MiniMaxStatus.PromptAudioTooLong, $"prompt audio too long: {ex.Message}"),
        VoiceErrorKind.CloningUnavailable => new(MiniMaxStatus.VoiceCloningUnavailable, ex.Message),
        VoiceErrorKind.NotFound => new(MiniMaxStatus.InvalidVoice, $"invalid voice_id: {ex.Message}"),
        _ => MiniMaxStatus.Invalid(ex.Parameter, ex.Message),
    };

    private static string Short(string value) => value.Length > 40 ? value[..40] + "..." : value;
}
