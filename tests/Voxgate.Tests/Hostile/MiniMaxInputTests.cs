using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// Malformed uploads and ids that are not integers are the caller's error, answered in MiniMax's format. Before, a
/// malformed multipart body was a 1000 with an error-level stack trace, and a non-integer id an HTTP 400 "no such
/// endpoint" from route binding.
/// </summary>
[Collection(SecondApiCollection.Name)]
public class MiniMaxInputTests(VoxgateFactory factory)
{
    private const string Boundary = "voxgate-test-boundary";

    private static string Part(string name, string content, string? filename = null) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{(filename is null ? "" : $"; filename=\"{filename}\"")}\r\n\r\n{content}\r\n";

    /// <summary>Multipart bodies that no reader can finish: each must be refused as the caller's error.</summary>
    public static TheoryData<string, string> Malformed => new()
    {
        // The closing boundary never comes: the body stops inside the file part.
        { "truncated", Part("purpose", "t2a_async_input") + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nHello the" },
        // The declared boundary never appears at all.
        { "no boundary", "Hello there, this is not multipart at all." },
        // A part's headers never end.
        { "endless headers", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nX-Padding: {new string('x', 20_000)}" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedMultipartUploadIs2013AndTheServerStaysHealthy(string what, string body)
    {
        HttpClient client = factory.CreateClient();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        using HttpResponseMessage response = await client.PostAsync("/minimax/v1/files/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement answer = await response.JsonAsync();
        Assert.True(MiniMaxApi.StatusCode(answer) == 2013, $"{what}: {answer}"); // old code: 1000 and a stack trace in the log
        Assert.Contains("multipart", MiniMaxApi.StatusMessage(answer));

        // The server is healthy: a well-formed upload right after succeeds.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        MiniMaxApi.Ok(await new MiniMaxApi(client).UploadAsync("after.txt", MiniMaxApi.Utf8("A well-formed upload.")));
    }

    [Theory]
    [InlineData("query/t2a_async_query_v2?task_id=abc", "task_id")]
    [InlineData("query/t2a_async_query_v2?task_id=1.5", "task_id")]
    [InlineData("query/t2a_async_query_v2?task_id=99999999999999999999999", "task_id")]
    [InlineData("files/retrieve?file_id=abc", "file_id")]
    [InlineData("files/retrieve_content?file_id=abc", "file_id")]
    [InlineData("files/retrieve_content?file_id=0x10", "file_id")]
    public async Task ANonIntegerIdInTheQueryIs2013InMiniMaxFormat(string routeAndQuery, string field)
    {
        // MiniMaxApi.GetAsync asserts HTTP 200 (old code: HTTP 400 from route binding, not a MiniMax answer).
        JsonElement answer = await new MiniMaxApi(factory.CreateClient()).GetAsync(routeAndQuery);
        Assert.Equal(2013, MiniMaxApi.StatusCode(answer));
        Assert.Contains(field, MiniMaxApi.StatusMessage(answer));
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("trace_id").GetString()));
    }

    [Theory]
    [InlineData("abc", "4102444800")]
    [InlineData("12", "tomorrow")]
    [InlineData("12", "99999999999999999999999")]
    public async Task ADownloadLinkWithANonIntegerIdOrExpiryIs403With1004(string fileId, string expires)
    {
        using HttpClient anonymous = factory.CreateClientWithKey(null);
        using HttpResponseMessage response = await anonymous.GetAsync($"/minimax/v1/files/download/{fileId}?expires={expires}&signature=abc");

        // Old code: HTTP 400 from route binding; now the same answer as any other invalid link.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1004, MiniMaxApi.StatusCode(await response.JsonAsync()));
    }
}
