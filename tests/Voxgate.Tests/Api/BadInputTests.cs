using System.Net;
using System.Text;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>Each bad input the foundation issue names, with the status, error type, code, param and message it must get.</summary>
[Collection(ApiCollection.Name)]
public class BadInputTests(VoxgateFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string, string, int, string, string?, string> Cases => new()
    {
        // name, content type, body, status, code, param, message fragment
        { "malformed JSON", "application/json", "{\"model\": \"tts-1\", \"input\": ", 400, "invalid_json", null, "not valid JSON" },
        { "JSON array", "application/json", "[1, 2, 3]", 400, "invalid_json", null, "must be a JSON object" },
        { "wrong content type", "text/plain", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\"}", 415, "unsupported_media_type", null, "Content-Type: application/json" },
        { "form content type", "application/x-www-form-urlencoded", "model=tts-1", 415, "unsupported_media_type", null, "application/x-www-form-urlencoded" },
        { "missing input", "application/json", "{\"model\":\"tts-1\",\"voice\":\"alloy\"}", 400, "missing_required_parameter", "input", "'input'" },
        { "null input", "application/json", "{\"model\":\"tts-1\",\"input\":null,\"voice\":\"alloy\"}", 400, "missing_required_parameter", "input", "'input'" },
        { "empty input", "application/json", "{\"model\":\"tts-1\",\"input\":\"\",\"voice\":\"alloy\"}", 400, "invalid_value", "input", "must not be empty" },
        { "input of the wrong type", "application/json", "{\"model\":\"tts-1\",\"input\":42,\"voice\":\"alloy\"}", 400, "invalid_value", "input", "must be a string" },
        { "whitespace only", "application/json", "{\"model\":\"tts-1\",\"input\":\"  \\n\\t  \",\"voice\":\"alloy\"}", 400, "invalid_value", "input", "no speakable text" },
        { "control characters only", "application/json", "{\"model\":\"tts-1\",\"input\":\"\\u0001\\u0002\\u200b\\u0007\",\"voice\":\"alloy\"}", 400, "invalid_value", "input", "no speakable text" },
        { "lone surrogate", "application/json", "{\"model\":\"tts-1\",\"input\":\"a\\ud800b\",\"voice\":\"alloy\"}", 400, "invalid_value", "input", "unpaired surrogate" },
        { "missing model", "application/json", "{\"input\":\"hi\",\"voice\":\"alloy\"}", 400, "missing_required_parameter", "model", "'model'" },
        { "unknown model", "application/json", "{\"model\":\"tts-9\",\"input\":\"hi\",\"voice\":\"alloy\"}", 404, "model_not_found", "model", "tts-9" },
        { "missing voice", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\"}", 400, "missing_required_parameter", "voice", "'voice'" },
        { "unknown voice", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"darth\"}", 400, "invalid_value", "voice", "GET /v1/voices" },
        { "voice object without id", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":{}}", 400, "missing_required_parameter", "voice", "'voice'" },
        { "voice of the wrong type", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":[1]}", 400, "invalid_value", "voice", "must be a string or an object" },
        { "unknown format", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"response_format\":\"ogg-vorbis\"}", 400, "invalid_value", "response_format", "Supported values are: mp3, opus, aac, flac, wav, pcm" },
        { "conflicting format alias", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"response_format\":\"mp3\",\"format\":\"wav\"}", 400, "invalid_value", "format", "disagree" },
        { "speed too low", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"speed\":0.2}", 400, "invalid_value", "speed", "between 0.25 and 4" },
        { "speed too high", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"speed\":4.5}", 400, "invalid_value", "speed", "between 0.25 and 4" },
        { "speed as a string", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"speed\":\"fast\"}", 400, "invalid_value", "speed", "must be a number" },
        { "speed overflowing a double", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"speed\":1e999}", 400, "invalid_value", "speed", "out of range" },
        { "unknown stream format", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"stream_format\":\"xml\"}", 400, "invalid_value", "stream_format", "audio, sse" },
        { "sample rate not offered", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"sample_rate\":12345}", 400, "invalid_value", "sample_rate", "must be one of" },
        { "fractional sample rate", "application/json", "{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\",\"sample_rate\":24000.5}", 400, "invalid_value", "sample_rate", "must be an integer" },
        { "pause marker that is not a number", "application/json", "{\"model\":\"tts-1\",\"input\":\"Wait <#NaN#> here.\",\"voice\":\"alloy\"}", 400, "invalid_value", "input", "The pause marker <#NaN#> is not a number of seconds" },
        { "pause marker with a comma", "application/json", "{\"model\":\"tts-1\",\"input\":\"Wait <#1,5#> here.\",\"voice\":\"alloy\"}", 400, "invalid_value", "input", "<#1,5#>" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IsRefusedInOpenAiFormat(string name, string contentType, string body, int status, string code, string? param, string message)
    {
        HttpResponseMessage response = await _client.PostAsync("/v1/audio/speech", HttpJson.Raw(body, contentType));
        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}");
        JsonElement error = await response.ErrorAsync();
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task InputOverTheLimitIsRefusedAndTheLimitItselfAccepted()
    {
        string atLimit = string.Concat(Enumerable.Repeat("word ", 4096 / 5)) + new string('a', 4096 % 5);
        Assert.Equal(4096, atLimit.Length);
        HttpResponseMessage ok = await _client.PostSpeechAsync(new { model = "tts-1", input = atLimit, voice = "flite:kal16", response_format = "pcm" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        HttpResponseMessage tooLong = await _client.PostSpeechAsync(new { model = "tts-1", input = atLimit + "b", voice = "flite:kal16" });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        JsonElement error = await tooLong.ErrorAsync();
        Assert.Equal("string_above_max_length", error.GetProperty("code").GetString());
        Assert.Equal("input", error.GetProperty("param").GetString());
        Assert.Contains("4097 characters long; the maximum is 4096", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task TheLimitCountsCodePointsNotUtf16Units()
    {
        string emoji = string.Concat(Enumerable.Repeat("\uD83D\uDE00", 4000)) + " ok";
        HttpResponseMessage response = await _client.PostSpeechAsync(new { model = "tts-1", input = emoji, voice = "flite:kal16", response_format = "pcm" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ABodyOverOneMebibyteIs413()
    {
        string body = "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"" + new string('a', 1024 * 1024) + "\"}";
        HttpResponseMessage response = await _client.PostAsync("/v1/audio/speech", HttpJson.Raw(body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        JsonElement error = await response.ErrorAsync();
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Contains("1,048,576 bytes", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIs413Too()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"input\":\"" + new string('x', 2 * 1024 * 1024) + "\"}")));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task UnknownPathsAndMethodsGetOpenAiErrors()
    {
        HttpResponseMessage missing = await _client.GetAsync("/v1/audio/transcriptions-nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("unknown_url", (await missing.ErrorAsync()).GetProperty("code").GetString());

        HttpResponseMessage wrongMethod = await _client.GetAsync("/v1/audio/speech");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("method_not_allowed", (await wrongMethod.ErrorAsync()).GetProperty("code").GetString());
    }
}
