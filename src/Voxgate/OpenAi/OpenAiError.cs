using System.Text.Json;
using System.Text.Json.Serialization;
using Voxgate.Auth;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.RateLimits;
using Voxgate.Http;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.OpenAi;

/// <summary>An error in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c> with its HTTP status.</summary>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> (whole seconds, rounded up) when set.</param>
/// <param name="Limits">The caller's limits, sent as OpenAI's <c>x-ratelimit-*</c> headers when set.</param>
public sealed record OpenAiError(int Status, string Type, string Message, string? Param = null, string? Code = null,
    TimeSpan? RetryAfter = null, RateLimitDecision? Limits = null)
{
    /// <summary>Sends <c>WWW-Authenticate: Bearer</c>, as a 401 must.</summary>
    public bool Challenge { get; init; }

    /// <summary>Sends <c>x-should-retry: false</c>, the header OpenAI's SDKs read to stop retrying a request.</summary>
    public bool Final { get; init; }

    public const string InvalidRequest = "invalid_request_error";
    public const string NotFound = "not_found";
    public const string ServerError = "server_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string InsufficientCredits = "insufficient_credits";
    public const string RateLimit = "rate_limit_error";
    public const string ServiceUnavailable = "service_unavailable";

    public static OpenAiError From(AccessDenial denial) => denial.Status == StatusCodes.Status401Unauthorized
        ? new(401, Authentication, denial.Message, null, denial.Failure == AuthenticationFailure.Revoked ? "revoked_api_key" : "invalid_api_key") { Challenge = true }
        : new(403, Permission, denial.Message, null, "insufficient_scope");

    /// <summary>The seed gateway's taxonomy: 402 insufficient_credits, 429 rate_limit_error, 503 service_unavailable.</summary>
    public static OpenAiError From(GatewayException ex) => ex.Refusal switch
    {
        GatewayRefusal.InsufficientCredits => new(402, InsufficientCredits, ex.Message, null, "insufficient_credits"),
        GatewayRefusal.RateLimited => new(429, RateLimit, ex.Message, null,
            ex.Limits?.Exceeded == RateLimitDimension.Characters ? "characters_per_minute_exceeded" : "requests_per_minute_exceeded",
            ex.RetryAfter, ex.Limits),
        // Not a 429: the official .NET SDK (System.ClientModel's retry policy) retries every 429 and reads no
        // x-should-retry, and the request would fail the same way each time.
        GatewayRefusal.RequestExceedsLimit => new(400, InvalidRequest, ex.Message, "input", "request_exceeds_characters_per_minute", null, ex.Limits) { Final = true },
        GatewayRefusal.ConcurrencyLimited => new(429, RateLimit, ex.Message, null, "concurrent_requests_exceeded", ex.RetryAfter),
        GatewayRefusal.LimitsUnavailable => new(503, ServiceUnavailable, ex.Message, null, "rate_limiter_unavailable", ex.RetryAfter),
        _ => new(503, ServiceUnavailable, ex.Message, null, "engine_saturated", ex.RetryAfter),
    };

    /// <summary>
    /// A provider's failure: its 429 passes through with its Retry-After; saturation and timeouts are 503, other
    /// failures 500 (both retryable); a request it refused is the caller's 400; a rejected key is the caller's to fix
    /// when it is their own (BYOK), and the operator's (500) otherwise.
    /// </summary>
    public static OpenAiError From(UpstreamException ex, bool byok) => ex.Failure switch
    {
        UpstreamFailure.RateLimited => new(429, RateLimit, ex.Message, null, "upstream_rate_limited", ex.RetryAfter ?? TimeSpan.FromSeconds(1)),
        UpstreamFailure.Unavailable => new(503, ServiceUnavailable, ex.Message, null, "upstream_unavailable", ex.RetryAfter ?? TimeSpan.FromSeconds(1)),
        UpstreamFailure.Rejected => new(400, InvalidRequest, ex.Message, null, "upstream_rejected"),
        UpstreamFailure.Unauthorized when byok => new(400, InvalidRequest,
            $"The provider '{ex.Provider}' refused your provider key; replace it with PUT /v1/provider-keys/{ex.Provider}.", null, "provider_key_rejected"),
        _ => new(500, ServerError, ex.Failure == UpstreamFailure.Unauthorized
            ? $"The provider '{ex.Provider}' refused the server's key; nothing was charged."
            : ex.Message + " Nothing was charged; retry.", null, "upstream_failed"),
    };

    public static OpenAiError From(SpeechRequestException ex) => ex.Kind switch
    {
        SpeechErrorKind.MissingParameter => new(400, InvalidRequest, ex.Message, ex.Parameter, "missing_required_parameter"),
        SpeechErrorKind.InputTooLong => new(400, InvalidRequest, ex.Message, ex.Parameter, "string_above_max_length"),
        SpeechErrorKind.ModelNotFound => new(404, InvalidRequest, ex.Message, ex.Parameter, "model_not_found"),
        SpeechErrorKind.VoiceNotFound => new(400, InvalidRequest, ex.Message, ex.Parameter, "invalid_value"),
        _ => new(400, InvalidRequest, ex.Message, ex.Parameter, "invalid_value"),
    };

    public static OpenAiError From(RequestBodyException ex) => ex.Problem switch
    {
        RequestBodyProblem.TooLarge => new(413, InvalidRequest, ex.Message, null, "request_too_large"),
        RequestBodyProblem.NotJson => new(415, InvalidRequest, ex.Message, null, "unsupported_media_type"),
        _ => new(400, InvalidRequest, ex.Message, null, "invalid_json"),
    };

    /// <summary>The error for an exception that refuses a request before synthesis, or null for anything else.</summary>
    public static OpenAiError? ForRefusal(Exception ex) => ex switch
    {
        RequestBodyException body => From(body),
        SpeechRequestException request => From(request),
        GatewayException gateway => From(gateway),
        GatewayInputException input => new(400, InvalidRequest, input.Message, input.Parameter, "invalid_value"),
        NotFoundException missing => new(404, NotFound, missing.Message, null, "not_found"),
        ConflictException conflict => new(409, InvalidRequest, conflict.Message, null, "conflict"),
        _ => null,
    };

    /// <summary>A failure during synthesis: the provider's, mapped; else the server's.</summary>
    public static OpenAiError ForFailure(Exception failure, SpeechPlan plan, string requestId) => failure is UpstreamException upstream
        ? From(upstream, Http.SpeechStreamer.IsByok(plan))
        : SynthesisFailed(requestId);

    public static OpenAiError SynthesisFailed(string requestId) => new(500, ServerError,
        $"Speech synthesis failed on the server; nothing was charged. Retry, or report request {requestId}.", null, "synthesis_failed");

    public object Body => new ErrorEnvelope(new ErrorBody(Message, Type, Param, Code));

    public IResult ToResult() => new ErrorResult(this);

    /// <summary>Writes the error unless the response has started (then the caller must abort instead).</summary>
    public async Task WriteAsync(HttpResponse response)
    {
        response.Clear();
        response.StatusCode = Status;
        if (RetryAfter is TimeSpan retryAfter)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Limits is not null)
        {
            RateLimitHeaders.Write(response, Limits);
        }
        if (Challenge)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }
        if (Final)
        {
            response.Headers["x-should-retry"] = "false";
        }
        await response.WriteAsJsonAsync(Body, OpenAiJson.Options, response.HttpContext.RequestAborted);
    }

    private sealed class ErrorResult(OpenAiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => error.WriteAsync(httpContext.Response);
    }

    private sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody Error);

    private sealed record ErrorBody(
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("param")] string? Param,
        [property: JsonPropertyName("code")] string? Code);
}

/// <summary>
/// JSON settings of the OpenAI surface: snake_case names, nulls written (OpenAI writes "param": null), and no
/// HTML-oriented escaping: these documents are JSON API responses, never embedded in a page.
/// </summary>
public static class OpenAiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
