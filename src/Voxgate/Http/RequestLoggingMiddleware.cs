using System.Diagnostics;
using System.Security.Cryptography;

namespace Voxgate.Http;

/// <summary>
/// Gives every request an id (the caller's <c>x-request-id</c> when it is a plain token, else a new one), returns it
/// in <c>x-request-id</c>, scopes the logs with it, and writes one access-log line. Never logs headers or bodies.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public const string HeaderName = "x-request-id";

    public async Task InvokeAsync(HttpContext http)
    {
        string requestId = AcceptedId(http.Request.Headers[HeaderName].ToString()) ?? NewId();
        http.TraceIdentifier = requestId;
        // Set as the response starts, so an error handler that clears the response cannot drop it.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });
        long started = Stopwatch.GetTimestamp();
        using (logger.BeginScope(new KeyValuePair<string, object>[] { new("RequestId", requestId) }))
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
