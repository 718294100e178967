using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway.Voices;

/// <summary>
/// MiniMax's voice endpoints at an upstream MiniMax provider: uploads, voice_clone, voice_design, delete_voice. A
/// provider's refusal with a voice code (2037, 2038, 2039, 2048, 20132) is reported as the same
/// <see cref="VoiceException"/> a local refusal is; anything else as an <see cref="UpstreamException"/>.
/// </summary>
public sealed class MiniMaxVoiceRelay(IHttpClientFactory httpClients)
{
    /// <summary>Asks the provider to design a voice; returns its id there and the trial's audio.</summary>
    public async Task<(string VoiceId, byte[] Trial)> DesignAsync(UpstreamRoute route, string prompt, string previewText, string? voiceId,
        CancellationToken cancellationToken)
    {
        JsonElement answer = await PostJsonAsync(route, "v1/voice_design",
            voiceId is null ? new { prompt, preview_text = previewText } : new { prompt, preview_text = previewText, voice_id = voiceId }, cancellationToken);
        string id = Text(answer, "voice_id") ?? throw Broken(route, "no voice_id");
        try
        {
            return (id, Convert.FromHexString(Text(answer, "trial_audio") ?? ""));
        }
        catch (FormatException)
        {
            throw Broken(route, "trial_audio that is not hex");
        }
    }

    /// <summary>Uploads a recording to the provider; returns its file id there.</summary>
    public async Task<long> UploadAsync(UpstreamRoute route, byte[] content, string filename, string purpose, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(purpose), "purpose" },
            { new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", filename },
        };
        JsonElement answer = await SendAsync(route, "v1/files/upload", form, cancellationToken);
        return answer.TryGetProperty("file", out JsonElement file) && file.TryGetProperty("file_id", out JsonElement id) && id.TryGetInt64(out long fileId)
            ? fileId
            : throw Broken(route, "no file_id");
    }

    /// <summary>Asks the provider to clone a voice from its uploads; returns the demo's link there, or "".</summary>
    public async Task<string> CloneAsync(UpstreamRoute route, Dictionary<string, object?> body, CancellationToken cancellationToken) =>
        Text(await PostJsonAsync(route, "v1/voice_clone", body, cancellationToken), "demo_audio") ?? "";

    public async Task DeleteAsync(UpstreamRoute route, string voiceType, string voiceId, CancellationToken cancellationToken) =>
        await PostJsonAsync(route, "v1/delete_voice", new { voice_type = voiceType, voice_id = voiceId }, cancellationToken);

    /// <summary>Fetches a file the provider linked to (its signed links need no key), at most <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]> DownloadAsync(UpstreamRoute route, string link, long maxBytes, CancellationToken cancellationToken)
    {
        HttpClient client = httpClients.CreateClient(Speech.Upstreams.UpstreamSpeechClient.HttpClientName);
        try
        {
            using HttpResponseMessage response = await client.GetAsync(link, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var content = new MemoryStream();
            byte[] buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (content.Length + read > maxBytes)
                {
                    throw Broken(route, "a demo larger than expected");
                }
                content.Write(buffer, 0, read);
            }
            return content.ToArray();
        }
        catch (HttpRequestException ex)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, route.Provider, $"The provider '{route.Provider}' demo audio could not be fetched.", inner: ex);
        }
    }

    private Task<JsonElement> PostJsonAsync(UpstreamRoute route, string path, object body, CancellationToken cancellationToken) =>
        SendAsync(route, path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), cancellationToken);

    private async Task<JsonElement> SendAsync(UpstreamRoute route, string path, HttpContent content, CancellationToken cancellationToken)
    {
        HttpClient client = httpClients.CreateClient(Speech.Upstreams.UpstreamSpeechClient.HttpClientName);
        var uri = new Uri(new Uri(route.BaseUrl.ToString().TrimEnd('/') + "/"), path);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", route.ApiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(route.Timeout);
        JsonElement answer;
        try
        {
            using HttpResponseMessage response = await client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new UpstreamException(response.StatusCode switch
                {
                    System.Net.HttpStatusCode.TooManyRequests => UpstreamFailure.RateLimited,
                    System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden => UpstreamFailure.Unauthorized,
                    >= System.Net.HttpStatusCode.InternalServerError => UpstreamFailure.Unavailable,
                    _ => UpstreamFailure.Rejected,
                }, route.Provider, $"The provider '{route.Provider}' answered {(int)response.StatusCode}.");
            }
            using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            answer = document.RootElement.Clone();
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, route.Provider, $"The provider '{route.Provider}' did not answer within {route.Timeout.TotalSeconds:0} s.", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, route.Provider, $"The provider '{route.Provider}' could not be reached.", inner: ex);
        }
        catch (JsonException ex)
        {
            throw new UpstreamException(UpstreamFailure.Failed, route.Provider, $"The provider '{route.Provider}' answered with something that is not JSON.", inner: ex);
        }
        int code = answer.TryGetProperty("base_resp", out JsonElement status) && status.TryGetProperty("status_code", out JsonElement c) && c.TryGetInt32(out int value) ? value : -1;
        if (code == 0)
        {
            return answer;
        }
        string message = $"The provider '{route.Provider}' answered {code}: {ProviderText.Quote(status.ValueKind == JsonValueKind.Object ? Text(status, "status_msg") ?? "" : "")}";
        throw code switch
        {
            2037 => new VoiceException(VoiceErrorKind.Duration, "file_id", message),
            2038 => new VoiceException(VoiceErrorKind.CloningUnavailable, "voice_id", message),
            2039 => new VoiceException(VoiceErrorKind.Duplicate, "voice_id", message),
            2048 => new VoiceException(VoiceErrorKind.PromptTooLong, "clone_prompt.prompt_audio", message),
            20132 => new VoiceException(VoiceErrorKind.NotFound, "voice_id", message),
            2013 => new VoiceException(VoiceErrorKind.Invalid, "body", message),
            _ => new UpstreamException(MiniMaxSpeechProvider.MiniMaxFailure(code), route.Provider, message),
        };
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static UpstreamException Broken(UpstreamRoute route, string what) =>
        new(UpstreamFailure.Failed, route.Provider, $"The provider '{route.Provider}' answered with {what}.");
}
