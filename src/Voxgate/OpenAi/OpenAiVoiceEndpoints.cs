using Voxgate.Auth;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Voices;
using Voxgate.Http;
using Voxgate.Speech.Audio;

namespace Voxgate.OpenAi;

/// <summary>
/// OpenAI's custom voices on the one voice store: consent recordings (<c>/v1/audio/voice_consents</c>) and voices
/// made from a sample (<c>/v1/audio/voices</c>, the organisation's custom voices; the server's own voices are listed
/// at <c>/v1/voices</c>). A custom voice is used with <c>"voice": {"id": "voice_..."}</c> (or its id as a string).
/// </summary>
public static class OpenAiVoiceEndpoints
{
    /// <summary>OpenAI's limit on a sample or consent recording.</summary>
    private const long MaxRecordingBytes = 10 * 1024 * 1024;

    private const string ConsentPurpose = "voice_consent";

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/audio/voice_consents", CreateConsentAsync).WithSummary("Uploads a consent recording (multipart name, language, recording).");
        v1.MapGet("/audio/voice_consents", ListConsentsAsync).WithSummary("Lists the caller's consent recordings.");
        v1.MapGet("/audio/voice_consents/{id}", GetConsentAsync).WithSummary("One consent recording.");
        v1.MapPost("/audio/voice_consents/{id}", RenameConsentAsync).WithSummary("Updates a consent recording's name (JSON {\"name\"}).");
        v1.MapDelete("/audio/voice_consents/{id}", DeleteConsentAsync).WithSummary("Deletes a consent recording.");
        v1.MapPost("/audio/voices", CreateVoiceAsync).WithSummary("Creates a custom voice from a sample (multipart name, consent, audio_sample).");
        v1.MapGet("/audio/voices", ListVoicesAsync).WithSummary("Lists the caller's custom voices (cloned and designed).");
        v1.MapGet("/audio/voices/{id}", GetVoiceAsync).WithSummary("One custom voice.");
    }

    private static Task CreateConsentAsync(HttpContext http, VoiceService voices, FileService files, SpeechGateway gateway) =>
        RespondAsync(http, async account =>
        {
            await gateway.AdmitRequestAsync(ApiKeyEndpointFilter.CallerOf(http), "audio/voice_consents", http.TraceIdentifier, http.RequestAborted);
            await files.CheckQuotaAsync(account, http.RequestAborted);
            MultipartForm form = await MultipartForm.ReadAsync(http.Request, MaxRecordingBytes, http.RequestAborted);
            string name = RequiredField(form, "name");
            string language = RequiredField(form, "language");
            FormPart recording = form.Files.GetValueOrDefault("recording") ?? throw new GatewayInputException("recording", "The consent 'recording' file is required.");
            VoiceRecordings.Check(recording.Content, RecordingRule.OpenAiConsent, "recording", MaxRecordingBytes, keepSamples: false);
            StoredFile file = await files.SaveAsync(account, ConsentPurpose, recording.Filename, TimeSpan.FromDays(3650),
                (stream, token) => stream.WriteAsync(recording.Content, token).AsTask(), http.RequestAborted, withinQuota: true);
            return Describe(await voices.AddConsentAsync(account, name, language, file, http.RequestAborted));
        });

    private static Task ListConsentsAsync(HttpContext http, string? after, int? limit, VoiceService voices) =>
        RespondAsync(http, async account =>
        {
            int take = limit ?? 20;
            if (take is < 1 or > 100)
            {
                throw new GatewayInputException("limit", $"limit is between 1 and 100; got {take}.");
            }
            if (after is not null)
            {
                await voices.GetConsentAsync(account, after, http.RequestAborted); // an unknown cursor is an error, not an empty page
            }
            IReadOnlyList<VoiceConsent> page = await voices.ListConsentsAsync(account, after, take + 1, http.RequestAborted);
            List<object> data = [.. page.Take(take).Select(Describe)];
            return new Dictionary<string, object?>
            {
                ["object"] = "list",
                ["data"] = data,
                ["first_id"] = page.Count == 0 ? null : page[0].Id,
                ["last_id"] = page.Count == 0 ? null : page[Math.Min(take, page.Count) - 1].Id,
                ["has_more"] = page.Count > take,
            };
        });

    private static Task GetConsentAsync(HttpContext http, string id, VoiceService voices) =>
        RespondAsync(http, async account => Describe(await voices.GetConsentAsync(account, id, http.RequestAborted)));

    private static Task RenameConsentAsync(HttpContext http, string id, VoiceService voices) =>
        RespondAsync(http, async account =>
        {
            using System.Text.Json.JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, 64 * 1024, http.RequestAborted);
            string name = JsonFields.String(body.RootElement, "name") is { Length: > 0 and <= 256 } value
                ? value
                : throw new GatewayInputException("name", "Send the new label as {\"name\": \"...\"} (1 to 256 characters).");
            return Describe(await voices.RenameConsentAsync(account, id, name, http.RequestAborted));
        });

    private static Task DeleteConsentAsync(HttpContext http, string id, VoiceService voices) =>
        RespondAsync(http, async account =>
        {
            await voices.DeleteConsentAsync(account, id, http.RequestAborted);
            return new Dictionary<string, object?> { ["id"] = id, ["object"] = "audio.voice_consent", ["deleted"] = true };
        });

    private static Task CreateVoiceAsync(HttpContext http, VoiceService voices, SpeechGateway gateway) =>
        RespondAsync(http, async account =>
        {
            await gateway.AdmitRequestAsync(ApiKeyEndpointFilter.CallerOf(http), "audio/voices", http.TraceIdentifier, http.RequestAborted);
            MultipartForm form = await MultipartForm.ReadAsync(http.Request, MaxRecordingBytes, http.RequestAborted);
            string name = RequiredField(form, "name");
            string consentId = RequiredField(form, "consent");
            FormPart sample = form.Files.GetValueOrDefault("audio_sample") ?? throw new GatewayInputException("audio_sample", "The 'audio_sample' file is required.");
            try
            {
                await voices.GetConsentAsync(account, consentId, http.RequestAborted);
            }
            catch (VoiceException)
            {
                throw new GatewayInputException("consent", $"There is no voice consent '{consentId}'; upload one with POST /v1/audio/voice_consents.");
            }
            voices.RequireCloningVoice();
            DecodedAudio audio = VoiceRecordings.Check(sample.Content, RecordingRule.OpenAiSample, "audio_sample", MaxRecordingBytes);
            // A Voxgate extension: the sample's words, for cloning models that need them (ZipVoice).
            string? transcript = form.Field("transcript");
            string id = "voice_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
            CustomVoice voice = await voices.CloneAsync(account, id, name,
                new CloneSource(audio, string.IsNullOrWhiteSpace(transcript) ? null : audio, transcript, new ReferenceCleaning(false, true)), http.RequestAborted);
            return Describe(voice);
        });

    private static Task ListVoicesAsync(HttpContext http, VoiceService voices) =>
        RespondAsync(http, async account => new Dictionary<string, object?>
        {
            ["object"] = "list",
            ["data"] = (await voices.ListAsync(account, http.RequestAborted)).Select(Describe).ToList(),
            ["has_more"] = false,
        });

    private static Task GetVoiceAsync(HttpContext http, string id, VoiceService voices) =>
        RespondAsync(http, async account => Describe(await voices.GetAsync(account, id, http.RequestAborted)));

    private static object Describe(VoiceConsent consent) => new Dictionary<string, object?>
    {
        ["id"] = consent.Id,
        ["object"] = "audio.voice_consent",
        ["name"] = consent.Name,
        ["language"] = consent.Language,
        ["created_at"] = consent.CreatedAt.ToUnixTimeSeconds(),
    };

    private static object Describe(CustomVoice voice) => new Dictionary<string, object?>
    {
        ["id"] = voice.Id,
        ["object"] = "audio.voice",
        ["name"] = voice.Name,
        ["created_at"] = voice.CreatedAt.ToUnixTimeSeconds(),
    };

    private static string RequiredField(MultipartForm form, string name) =>
        form.Field(name) is { Length: > 0 } value ? value : throw new GatewayInputException(name, $"The form field '{name}' is required.");

    /// <summary>Runs an account's action and answers its document as JSON, or the refusal as an OpenAI error.</summary>
    private static async Task RespondAsync(HttpContext http, Func<long, Task<object>> action)
    {
        try
        {
            long account = ApiKeyEndpointFilter.CallerOf(http).AccountId
                ?? throw new GatewayInputException("authorization", "Custom voices belong to an account; use an account's API key.");
            object answer = await action(account);
            await http.Response.WriteAsJsonAsync(answer, OpenAiJson.Options, http.RequestAborted);
        }
        catch (VoiceException ex)
        {
            await Error(ex).WriteAsync(http.Response);
        }
        catch (Exception ex) when (OpenAiError.ForRefusal(ex) is { } error)
        {
            await error.WriteAsync(http.Response);
        }
    }

    public static OpenAiError Error(VoiceException ex) => ex.Kind switch
    {
        VoiceErrorKind.NotFound => new(404, OpenAiError.NotFound, ex.Message, ex.Parameter, "not_found"),
        VoiceErrorKind.CloningUnavailable => new(400, OpenAiError.InvalidRequest, ex.Message, null, "voice_cloning_unavailable"),
        VoiceErrorKind.LimitReached => new(400, OpenAiError.InvalidRequest, ex.Message, null, "voice_limit_reached"),
        VoiceErrorKind.Duplicate => new(409, OpenAiError.InvalidRequest, ex.Message, ex.Parameter, "conflict"),
        _ => new(400, OpenAiError.InvalidRequest, ex.Message, ex.Parameter, "invalid_value"),
    };
}
