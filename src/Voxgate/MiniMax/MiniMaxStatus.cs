using System.Text.Json;
using System.Text.Json.Serialization;
using Voxgate.Auth;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.RateLimits;
using Voxgate.Http;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.MiniMax;

/// <summary>
/// A MiniMax answer's <c>base_resp</c>: 0 for success, a code otherwise (MiniMax's error code table; docs/api.md lists the ones this surface sends). MiniMax sends errors with
/// HTTP 200, and so does this surface; a <c>Retry-After</c> header comes with the retryable ones.
/// </summary>
public sealed record MiniMaxStatus(int Code, string Message, TimeSpan? RetryAfter = null)
{
    public const int Success = 0;
    public const int UnknownError = 1000;
    public const int Timeout = 1001;
    public const int RateLimited = 1002;
    public const int AuthenticationFailed = 1004;
    public const int InsufficientBalance = 1008;
    public const int CharacterLimit = 1039;
    public const int ConnectionLimit = 1041;
    public const int InvisibleCharacters = 1042;
    public const int InvalidParameters = 2013;
    public const int InvalidVoice = 20132;
    public const int InvalidApiKey = 2049;
    public const int VoiceDuration = 2037;
    public const int VoiceCloningUnavailable = 2038;
    public const int DuplicateVoice = 2039;
    public const int PromptAudioTooLong = 2048;

    public static MiniMaxStatus Ok { get; } = new(Success, "success");

    public static MiniMaxStatus Invalid(string? field, string message) =>
        new(InvalidParameters, field is null ? $"invalid params: {message}" : $"invalid params, {field}: {message}");

    /// <summary>MiniMax has one code for a refused key, whether unknown, revoked or lacking the scope.</summary>
    public static MiniMaxStatus From(AccessDenial denial) => new(AuthenticationFailed, denial.Message);

    public static MiniMaxStatus From(GatewayException ex) => ex.Refusal switch
    {
        GatewayRefusal.InsufficientCredits => new(InsufficientBalance, ex.Message),
        GatewayRefusal.RateLimited => new(ex.Limits?.Exceeded == RateLimitDimension.Characters ? CharacterLimit : RateLimited, ex.Message, ex.RetryAfter),
        GatewayRefusal.RequestExceedsLimit => new(CharacterLimit, ex.Message), // no Retry-After: waiting does not help
        GatewayRefusal.LimitsUnavailable => new(Timeout, ex.Message, ex.RetryAfter),
        _ => new(ConnectionLimit, ex.Message, ex.RetryAfter),
    };

    public static MiniMaxStatus From(UpstreamException ex, bool byok) => ex.Failure switch
    {
        UpstreamFailure.RateLimited => new(RateLimited, ex.Message, ex.RetryAfter ?? TimeSpan.FromSeconds(1)),
        UpstreamFailure.Unavailable => new(Timeout, ex.Message, ex.RetryAfter ?? TimeSpan.FromSeconds(1)),
        UpstreamFailure.Rejected => Invalid(null, ex.Message),
        UpstreamFailure.Unauthorized when byok => new(InvalidApiKey, $"The provider '{ex.Provider}' refused your provider key."),
        _ => new(UnknownError, ex.Message + " Nothing was charged; retry."),
    };

    /// <summary>
    /// The status for an exception that refuses a request before synthesis, or null for anything else. Field names
    /// of canonical parameters are mapped to this surface's (<paramref name="fieldNames"/>).
    /// </summary>
    public static MiniMaxStatus? ForRefusal(Exception ex, IReadOnlyDictionary<string, string> fieldNames) => ex switch
    {
        MiniMaxRefusalException own => own.Status,
        RequestBodyException body => Invalid(null, body.Message),
        SpeechRequestException { Kind: SpeechErrorKind.VoiceNotFound } voice => new(InvalidVoice, $"invalid voice_id: {voice.Message}"),
        SpeechRequestException { Kind: SpeechErrorKind.OutputTooLarge } large => Invalid(null,
            large.Message + " Send \"stream\": true to receive it as it is produced, or \"output_format\": \"url\" for a link to a stored file."),
        SpeechRequestException request => Invalid(request.Parameter is null ? null : fieldNames.GetValueOrDefault(request.Parameter, request.Parameter), request.Message),
        GatewayException gateway => From(gateway),
        GatewayInputException input => Invalid(input.Parameter, input.Message),
        NotFoundException missing => Invalid(null, missing.Message),
        _ => null,
    };

    public static MiniMaxStatus SynthesisFailed(string requestId) =>
        new(UnknownError, $"Speech synthesis failed on the server; nothing was charged. Retry, or report trace {requestId}.");

    public object BaseResp => new BaseRespDocument(Code, Message);

    /// <summary>Writes <c>{"trace_id", "base_resp"}</c> (plus <paramref name="extra"/> fields) with HTTP 200.</summary>
    public Task WriteAsync(HttpResponse response, IReadOnlyDictionary<string, object?>? extra = null)
    {
        response.Clear();
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[MiniMaxTraceHeader.Name] = response.HttpContext.TraceIdentifier;
        if (RetryAfter is TimeSpan retryAfter)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var body = new Dictionary<string, object?>(extra ?? new Dictionary<string, object?>())
        {
            ["trace_id"] = response.HttpContext.TraceIdentifier,
            ["base_resp"] = BaseResp,
        };
        return response.WriteAsJsonAsync(body, MiniMaxJson.Options, response.HttpContext.RequestAborted);
    }

    public IResult ToResult() => new StatusResult(this);

    private sealed class StatusResult(MiniMaxStatus status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => status.WriteAsync(httpContext.Response);
    }

    private sealed record BaseRespDocument(
        [property: JsonPropertyName("status_code")] int StatusCode,
        [property: JsonPropertyName("status_msg")] string StatusMsg);
}

/// <summary>JSON of the MiniMax surface: snake_case, nulls left out (MiniMax omits absent fields).</summary>
public static class MiniMaxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
