using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Voxgate.Tests.Support;

/// <summary>
/// A MiniMax client as MiniMax's own examples write one: JSON over HTTP with a bearer key, answers checked by their
/// <c>base_resp</c>. Works over the in-process test server and over a real server process alike.
/// </summary>
public sealed class MiniMaxApi(HttpClient http, string prefix = "/minimax")
{
    public HttpClient Http => http;

    /// <summary>POSTs a JSON body and returns the whole answer, whatever its status code.</summary>
    public async Task<JsonElement> PostAsync(string route, object body)
    {
        using HttpResponseMessage response = await http.PostAsync($"{prefix}/v1/{route}", HttpJson.Body(body));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode); // MiniMax answers errors with 200 too
        return await response.JsonAsync();
    }

    public async Task<JsonElement> GetAsync(string routeAndQuery)
    {
        using HttpResponseMessage response = await http.GetAsync($"{prefix}/v1/{routeAndQuery}");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Uploads <paramref name="content"/> as <paramref name="filename"/> with purpose t2a_async_input.</summary>
    public async Task<JsonElement> UploadAsync(string filename, byte[] content, string purpose = "t2a_async_input")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(purpose), "purpose" },
            { new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", filename },
        };
        using HttpResponseMessage response = await http.PostAsync($"{prefix}/v1/files/upload", form);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public Task<JsonElement> QueryAsync(long taskId) => GetAsync($"query/t2a_async_query_v2?task_id={taskId}");

    /// <summary>Polls the task until it leaves Processing; returns the last answer.</summary>
    public async Task<JsonElement> WaitForTaskAsync(long taskId, TimeSpan timeout, Action<JsonElement>? onProgress = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonElement answer = await QueryAsync(taskId);
            Assert.Equal(0, StatusCode(answer));
            if (answer.GetProperty("status").GetString() != "Processing")
            {
                return answer;
            }
            onProgress?.Invoke(answer);
            Assert.True(DateTime.UtcNow < deadline, $"task {taskId} still processing after {timeout}: {answer}");
            await Task.Delay(200);
        }
    }

    public static int StatusCode(JsonElement answer) => answer.GetProperty("base_resp").GetProperty("status_code").GetInt32();

    public static string StatusMessage(JsonElement answer) => answer.GetProperty("base_resp").GetProperty("status_msg").GetString()!;

    /// <summary>Asserts success and returns the answer.</summary>
    public static JsonElement Ok(JsonElement answer)
    {
        Assert.True(StatusCode(answer) == 0, $"expected success, got {answer}");
        return answer;
    }

    /// <summary>The entries of a tar archive, by name.</summary>
    public static async Task<Dictionary<string, byte[]>> UntarAsync(byte[] tar)
    {
        var entries = new Dictionary<string, byte[]>();
        await using var reader = new TarReader(new MemoryStream(tar));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            using var content = new MemoryStream();
            if (entry.DataStream is not null)
            {
                await entry.DataStream.CopyToAsync(content);
            }
            entries[entry.Name] = content.ToArray();
        }
        return entries;
    }

    /// <summary>The JSON payloads of a server-sent event stream, in order.</summary>
    public static List<JsonElement> Events(string stream) =>
        [.. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Trim())
            .Where(e => e.StartsWith("data:", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e["data:".Length..]).RootElement.Clone())];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
