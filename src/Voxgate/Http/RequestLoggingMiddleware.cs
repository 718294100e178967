using System.Diagnostics;
using System.Security.Cryptography;

namespace Voxgate.Http;

/// <summary>
/// Gives every request the server's own id (<see cref="HttpContext.TraceIdentifier"/>): the key of its hold, charge
/// and usage, so it is never one a caller chose. A caller's <c>x-request-id</c> (a plain token of at most 64
/// characters) is only a correlation id: it is echoed in <c>x-request-id</c> and logged beside the server's. The
/// server's id is always in <c>x-voxgate-request-id</c> (and in <c>x-request-id</c> when the caller sent none).
/// Scopes the logs with both, and writes one access-log line. Never logs headers or bodies.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public const string HeaderName = "x-request-id";

    public const string ServerIdHeaderName = "x-voxgate-request-id";

    public async Task InvokeAsync(HttpContext http)
    {
        string requestId = NewId();
        string? correlationId = AcceptedId(http.Request.Headers[HeaderName].ToString());
        http.TraceIdentifier = requestId;
        // Set as the response starts, so an error handler that clears the response cannot drop them.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[HeaderName] = correlationId ?? requestId;
            http.Response.Headers[ServerIdHeaderName] = requestId;
            return Task.CompletedTask;
        });
        long started = Stopwatch.GetTimestamp();
        KeyValuePair<string, object>[] scope = correlationId is null
            ? [new("RequestId", requestId)]
            : [new("RequestId", requestId), new("CorrelationId", correlationId)];
        using (logger.BeginScope(scope))
        {
            try
            {
                await next(http);
            }
            finally
            {
                LogRequest(logger, http.Request.Method, http.Request.Path.Value ?? "", http.Response.StatusCode,
                    (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    private static string? AcceptedId(string candidate) =>
        candidate.Length is > 0 and <= 64 && candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? candidate
            : null;

    private static string NewId() => "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {ElapsedMs} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, long elapsedMs);
}
