using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Voxgate.Tests.Support;

/// <summary>Request helpers: bodies are sent exactly as given (anonymous objects keep their snake_case names).</summary>
public static class HttpJson
{
    public static StringContent Body(object body) => Raw(JsonSerializer.Serialize(body));

    public static StringContent Raw(string json, string contentType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType));

    public static Task<HttpResponseMessage> PostSpeechAsync(this HttpClient client, object body) =>
        client.PostAsync("/v1/audio/speech", Body(body));

    /// <summary>Reads an OpenAI error body and returns its "error" object.</summary>
    public static async Task<JsonElement> ErrorAsync(this HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        using JsonDocument document = JsonDocument.Parse(text);
        Assert.True(document.RootElement.TryGetProperty("error", out JsonElement error), $"not an OpenAI error: {text}");
        foreach (string field in new[] { "message", "type", "param", "code" })
        {
            Assert.True(error.TryGetProperty(field, out _), $"error lacks '{field}': {text}");
        }
        return error.Clone();
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>A multipart form: byte arrays as WAV files, everything else as text fields.</summary>
    public static MultipartFormDataContent Form(params (string Name, object Value)[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach ((string name, object value) in parts)
        {
            if (value is byte[] bytes)
            {
                form.Add(new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("audio/x-wav") } }, name, name + ".wav");
            }
            else
            {
                form.Add(new StringContent((string)value), name);
            }
        }
        return form;
    }
}
