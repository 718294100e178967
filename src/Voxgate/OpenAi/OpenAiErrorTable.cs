using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Voxgate.OpenAi;

/// <summary>One documented refusal of the OpenAI surface.</summary>
/// <param name="Status">The HTTP status, with a header the client should read (<c>429 + Retry-After</c>) in <see cref="StatusText"/>.</param>
public sealed record DocumentedError(string Situation, int Status, string StatusText, string Type, string Code, string? Param);

/// <summary>
/// The OpenAI surface's errors, written once: docs/api.md's table (checked against this by a test), the responses of
/// <c>/openapi.json</c>, the console's model pages and <c>/llms.txt</c> all show these rows.
/// </summary>
public static class OpenAiErrorTable
{
    public static IReadOnlyList<DocumentedError> Rows { get; } =
    [
        new("body is not valid JSON, not UTF-8, nested deeper than 16, or not an object", 400, "400", OpenAiError.InvalidRequest, "invalid_json", null),
        new("`Content-Type` is not JSON", 415, "415", OpenAiError.InvalidRequest, "unsupported_media_type", null),
        new("body over 1 MiB (`Voxgate:OpenAi:MaxRequestBodyBytes`)", 413, "413", OpenAiError.InvalidRequest, "request_too_large", null),
        new("required field missing or null", 400, "400", OpenAiError.InvalidRequest, "missing_required_parameter", "the field"),
        new("wrong type, out of range, unknown value, empty input, text with no letter or digit", 400, "400", OpenAiError.InvalidRequest, "invalid_value", "the field"),
        new("`input` over the limit", 400, "400", OpenAiError.InvalidRequest, "string_above_max_length", "`input`"),
        new("unknown voice", 400, "400", OpenAiError.InvalidRequest, "invalid_value", "`voice`"),
        new("unknown model", 404, "404", OpenAiError.InvalidRequest, "model_not_found", "`model`"),
        new("unknown path", 404, "404", OpenAiError.NotFound, "unknown_url", null),
        new("wrong method", 405, "405", OpenAiError.InvalidRequest, "method_not_allowed", null),
        new("engine or encoder failure", 500, "500", OpenAiError.ServerError, "synthesis_failed", null),
        new("no key, malformed, unknown", 401, "401", OpenAiError.Authentication, "invalid_api_key", null),
        new("revoked key", 401, "401", OpenAiError.Authentication, "revoked_api_key", null),
        new("key without the scope", 403, "403", OpenAiError.Permission, "insufficient_scope", null),
        new("wallet cannot cover the request", 402, "402", OpenAiError.InsufficientCredits, "insufficient_credits", null),
        new("over requests / characters per minute", 429, "429 + `Retry-After`", OpenAiError.RateLimit, "`requests_per_minute_exceeded` / `characters_per_minute_exceeded`", null),
        new("one request longer than the key's characters per minute (never passes)", 400, "400 + `x-should-retry: false`", OpenAiError.InvalidRequest, "request_exceeds_characters_per_minute", "`input`"),
        new("engine queue full", 503, "503 + `Retry-After`", OpenAiError.ServiceUnavailable, "engine_saturated", null),
        new("upstream provider failures", 0, "see above", "", "`upstream_*`", ""),
    ];

    /// <summary>Markdown's code marks taken off, for pages and plain text.</summary>
    public static string Plain(string text) => text.Replace("`", "", StringComparison.Ordinal);

    /// <summary>
    /// Describes each error response of <c>POST /v1/audio/speech</c> in the OpenAPI document with the situations
    /// that produce that status and their codes.
    /// </summary>
    public static Task DescribeResponsesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath != "v1/audio/speech" || operation.Responses is null)
        {
            return Task.CompletedTask;
        }
        foreach ((string status, IOpenApiResponse response) in operation.Responses)
        {
            DocumentedError[] rows = [.. Rows.Where(r => r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) == status)];
            if (rows.Length > 0 && response is OpenApiResponse editable)
            {
                editable.Description = string.Join("; ", rows.Select(r => $"{Plain(r.Situation)}: {r.Type} / {Plain(r.Code)}"));
            }
        }
        return Task.CompletedTask;
    }
}
