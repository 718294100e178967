using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Voxgate.Speech.Upstreams;

/// <summary>
/// The HTTP every upstream provider kind (<see cref="IUpstreamSpeechProvider"/>) shares: one request with the route's
/// key and timeout, its failures mapped to <see cref="UpstreamException"/>s with the provider's own message, and reads
/// that time out between pieces of audio, so no provider's answer is ever held whole.
/// </summary>
public sealed class UpstreamSpeechClient(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "voxgate-upstream";

    internal const int ReadSize = 16 * 1024;

    /// <summary>How much of an error body is read: enough for any error document, bounded against a provider that streams on.</summary>
    private const int ErrorBodyCharacters = 16 * 1024;

    internal async Task<HttpResponseMessage> SendAsync(UpstreamRoute route, Uri uri, object body, CancellationToken cancellationToken)
    {
        HttpClient client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", route.ApiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(route.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, route.Provider,
                $"The provider '{route.Provider}' did not answer within {route.Timeout.TotalSeconds:0} s.", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, route.Provider, $"The provider '{route.Provider}' could not be reached: {ex.Message}", inner: ex);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            string detail = await ErrorDetailAsync(response, cancellationToken);
            UpstreamFailure failure = response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => UpstreamFailure.RateLimited,
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => UpstreamFailure.Unauthorized,
                HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout or (HttpStatusCode)529 => UpstreamFailure.Unavailable,
                >= HttpStatusCode.InternalServerError => UpstreamFailure.Failed,
                _ => UpstreamFailure.Rejected,
            };
            throw new UpstreamException(failure, route.Provider,
                $"The provider '{route.Provider}' answered {(int)response.StatusCode}: {detail}", RetryAfter(response));
        }
    }

    internal static async Task<int> ReadWithinAsync(UpstreamRoute route, Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(route.Timeout);
        try
        {
            return await stream.ReadAsync(buffer, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw BrokenStream(route, ex);
        }
    }

    internal static async Task<string?> ReadLineWithinAsync(UpstreamRoute route, StreamReader reader, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(route.Timeout);
        try
        {
            return await reader.ReadLineAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw BrokenStream(route, ex);
        }
    }

    private static UpstreamException BrokenStream(UpstreamRoute route, Exception inner) =>
        new(UpstreamFailure.Failed, route.Provider, $"The provider '{route.Provider}' stopped sending audio mid-stream.", inner: inner);

    /// <summary>
    /// The provider's own error message (OpenAI's error.message or MiniMax's base_resp.status_msg), else the start of its
    /// body, else its status line; quoted through <see cref="ProviderText"/>, as it may echo a key back. At most
    /// <see cref="ErrorBodyCharacters"/> are read, however much the provider sends.
    /// </summary>
    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            char[] buffer = new char[ErrorBodyCharacters];
            text = new string(buffer, 0, await reader.ReadBlockAsync(buffer, cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return ProviderText.Quote(response.ReasonPhrase);
        }
        return ProviderText.Quote(ProviderMessage(text) ?? (text.Length > 0 ? text : response.ReasonPhrase));
    }

    /// <summary>The message field of an OpenAI-style or MiniMax-style error document, if the text is one.</summary>
    private static string? ProviderMessage(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString();
            }
            if (root.TryGetProperty("base_resp", out JsonElement status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("status_msg", out JsonElement statusMessage) && statusMessage.ValueKind == JsonValueKind.String)
            {
                return statusMessage.GetString();
            }
        }
        catch (JsonException)
        {
            // not JSON (or cut short): the raw text it is
        }
        return null;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: TimeSpan delta } => delta,
        { Date: DateTimeOffset date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    internal static Uri WithTrailingSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
