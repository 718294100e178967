using System.Text.Json;
using System.Text.Json.Serialization;
using Voxgate.Http;
using Voxgate.Speech.Synthesis;

namespace Voxgate.OpenAi;

/// <summary>An error in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c> with its HTTP status.</summary>
public sealed record OpenAiError(int Status, string Type, string Message, string? Param = null, string? Code = null)
{
    public const string InvalidRequest = "invalid_request_error";
    public const string NotFound = "not_found";
    public const string ServerError = "server_error";

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

    public static OpenAiError SynthesisFailed(string requestId) => new(500, ServerError,
        $"Speech synthesis failed on the server; nothing was charged. Retry, or report request {requestId}.", null, "synthesis_failed");

    public object Body => new ErrorEnvelope(new ErrorBody(Message, Type, Param, Code));

    public IResult ToResult() => Results.Json(Body, OpenAiJson.Options, statusCode: Status);

    /// <summary>Writes the error unless the response has started (then the caller must abort instead).</summary>
    public async Task WriteAsync(HttpResponse response)
    {
        response.Clear();
        response.StatusCode = Status;
        await response.WriteAsJsonAsync(Body, OpenAiJson.Options, response.HttpContext.RequestAborted);
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
