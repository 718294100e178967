using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Audio;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>A request longer than its key's characters-per-minute limit can never pass: clients must not retry it.</summary>
[Collection(ApiCollection.Name)]
public class OversizedRequestTests(VoxgateFactory factory)
{
    /// <summary>Counts the requests that leave the client for the server.</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task TheOpenAiSdkDoesNotRetryARequestLargerThanTheLimit()
    {
        string key = await factory.CreateKeyAsync("oversized-sdk", "1.00", charactersPerMinute: 40);
        var counter = new CountingHandler();
        HttpClient http = factory.CreateDefaultClient(counter);
        // The SDK as applications use it: its default retry policy (3 retries of 408, 429, 500, 502, 503, 504).
        AudioClient audio = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "v1"),
            Transport = new HttpClientPipelineTransport(http),
        }).GetAudioClient("tts-1");

        ClientResultException refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            audio.GenerateSpeechAsync(new string('a', 10) + " " + new string('b', 40), GeneratedSpeechVoice.Alloy));
        Assert.Equal(1, counter.Requests);
        Assert.NotEqual(429, refused.Status);
        PipelineResponse response = refused.GetRawResponse()!;
        Assert.True(response.Headers.TryGetValue("x-should-retry", out string? shouldRetry));
        Assert.Equal("false", shouldRetry);
        Assert.False(response.Headers.TryGetValue("Retry-After", out _));
        JsonElement error = JsonDocument.Parse(response.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("request_exceeds_characters_per_minute", error.GetProperty("code").GetString());
        Assert.Contains("the request itself exceeds the per-minute limit of 40 characters", error.GetProperty("message").GetString());

        // A request within the limit still passes.
        ClientResult<BinaryData> fits = await audio.GenerateSpeechAsync("Short enough.", GeneratedSpeechVoice.Alloy);
        Assert.True(fits.Value.ToArray().Length > 0);
    }

    [Fact]
    public async Task MiniMaxAnswers1039WithTheSameMessageAndNoRetryAfter()
    {
        string key = await factory.CreateKeyAsync("oversized-minimax", "1.00", charactersPerMinute: 40);
        HttpResponseMessage response = await factory.CreateClient().WithKey(key).PostAsync("/minimax/v1/t2a_v2", HttpJson.Body(new
        {
            model = "speech-02-hd", text = new string('a', 41), voice_setting = new { voice_id = "flite:kal16" },
        }));
        JsonElement answer = await response.JsonAsync();
        Assert.Equal(1039, MiniMaxApi.StatusCode(answer));
        Assert.Contains("the request itself exceeds the per-minute limit of 40 characters", answer.GetProperty("base_resp").GetProperty("status_msg").GetString());
        Assert.False(response.Headers.Contains("Retry-After"));
    }
}
