using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

[Collection(ApiCollection.Name)]
public class SpeechEndpointTests(VoxgateFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("mp3", "audio/mpeg", "mp3", "mp3")]
    [InlineData("opus", "audio/ogg; codecs=opus", "ogg", "opus")]
    [InlineData("aac", "audio/aac", "aac", "aac")]
    [InlineData("flac", "audio/flac", "flac", "flac")]
    [InlineData("wav", "audio/wav", "wav", "pcm_s16le")]
    [InlineData("pcm", "audio/pcm;rate=24000;channels=1;encoding=s16le", "pcm", "pcm_s16le")]
    public async Task EveryFormatComesBackWithItsContentTypeAndDecodes(string format, string contentType, string extension, string codec)
    {
        HttpResponseMessage response = await _client.PostSpeechAsync(new { model = "tts-1", input = "Hello from Voxgate.", voice = "alloy", response_format = format });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType), response.Content.Headers.ContentType);
        ProbeResult probe = await AudioProbe.ProbeAsync(await response.Content.ReadAsByteArrayAsync(), extension);
        Assert.Equal(codec, probe.Codec);
        Assert.InRange(probe.DecodedDuration.TotalSeconds, 0.8, 3);
    }

    [Fact]
    public async Task FormatAliasVoiceObjectAndExtensionsAreHonoured()
    {
        HttpResponseMessage response = await _client.PostSpeechAsync(new
        {
            model = "tts-1", input = "Stereo at sixteen kilohertz.", voice = new { id = "flite:kal16" }, format = "wav", sample_rate = 16000, channels = 2,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("flite:kal16", response.Headers.GetValues("x-voxgate-voice").Single());
        Assert.Equal("flite", response.Headers.GetValues("x-voxgate-route").Single());
        ProbeResult probe = await AudioProbe.ProbeAsync(await response.Content.ReadAsByteArrayAsync(), "wav");
        Assert.Equal((16000, 2), (probe.SampleRate, probe.Channels));
    }

    [Fact]
    public async Task SpeedChangesTheLength()
    {
        async Task<double> Seconds(double speed)
        {
            HttpResponseMessage response = await _client.PostSpeechAsync(new { model = "tts-1", input = "A sentence spoken at a chosen speed.", voice = "flite:kal16", response_format = "wav", speed });
            return (await AudioProbe.ProbeAsync(await response.Content.ReadAsByteArrayAsync(), "wav")).DecodedDuration.TotalSeconds;
        }
        double normal = await Seconds(1);
        Assert.InRange(await Seconds(2) / normal, 0.45, 0.55);
        Assert.InRange(await Seconds(0.5) / normal, 1.9, 2.1);
    }

    [Fact]
    public async Task ServerSentEventsCarryTheAudioThenUsage()
    {
        const string input = "First sentence of the stream. Second sentence of the stream.";
        HttpResponseMessage response = await _client.PostSpeechAsync(new { model = "tts-1", input, voice = "alloy", response_format = "mp3", stream_format = "sse" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        string[] events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        JsonElement[] payloads = [.. events.Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)];
        Assert.True(payloads.Length >= 3, "expected several deltas and a done event");
        Assert.All(payloads[..^1], p => Assert.Equal("speech.audio.delta", p.GetProperty("type").GetString()));
        JsonElement done = payloads[^1];
        Assert.Equal("speech.audio.done", done.GetProperty("type").GetString());
        Assert.Equal(input.Length, done.GetProperty("usage").GetProperty("usage_characters").GetInt32());
        Assert.Equal(input.Length, done.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        byte[] audio = [.. payloads[..^1].SelectMany(p => Convert.FromBase64String(p.GetProperty("audio").GetString()!))];
        ProbeResult probe = await AudioProbe.ProbeAsync(audio, "mp3");
        Assert.InRange(probe.DecodedDuration.TotalSeconds, 2, 8);
    }

    [Fact]
    public async Task RequestIdsAreReturnedAndCallerIdsKept()
    {
        HttpResponseMessage generated = await _client.GetAsync("/healthz");
        Assert.Matches("^req_[0-9a-f]{24}$", generated.Headers.GetValues("x-request-id").Single());

        var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("x-request-id", "client-id-42");
        Assert.Equal("client-id-42", (await _client.SendAsync(request)).Headers.GetValues("x-request-id").Single());

        var hostile = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        hostile.Headers.TryAddWithoutValidation("x-request-id", "bad id\twith spaces");
        Assert.StartsWith("req_", (await _client.SendAsync(hostile)).Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task InstructionsAreAccepted()
    {
        HttpResponseMessage response = await _client.PostSpeechAsync(new { model = "gpt-4o-mini-tts", input = "Calm words.", voice = "coral", instructions = "Speak calmly." });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
