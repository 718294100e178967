using System.ClientModel;
using OpenAI;
using OpenAI.Audio;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Api;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.EndToEnd;

/// <summary>The real server process on a loopback port, called with the official OpenAI .NET SDK.</summary>
public class OpenAiSdkTests(ServerProcess server) : IClassFixture<ServerProcess>
{
    private const string Text = "Voxgate speaks from its own machine. The official client library cannot tell the difference. " +
        "Every format decodes, at the rate it claims, for as long as the engine spoke.";

    private AudioClient Audio(string model = "tts-1") =>
        new OpenAIClient(new ApiKeyCredential(server.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") })
            .GetAudioClient(model);

    /// <summary>How long the engine itself speaks the text (its raw PCM, before trimming or encoding).</summary>
    private static async Task<TimeSpan> EngineDurationAsync(string voiceId, string text)
    {
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest { Model = "tts-1", Voice = voiceId, Input = text });
        TimeSpan total = TimeSpan.Zero;
        foreach (var segment in plan.Text.Segments)
        {
            await foreach (PcmChunk chunk in ((LocalSynthesis)plan.Route).Engine.SynthesizeAsync(new EngineRequest(segment.Text, plan.Voice), CancellationToken.None))
            {
                total += chunk.Duration;
            }
        }
        return total;
    }

    public static TheoryData<string, string, string> Formats => new()
    {
        { "mp3", "mp3", "mp3" },
        { "opus", "ogg", "opus" },
        { "aac", "aac", "aac" },
        { "flac", "flac", "flac" },
        { "wav", "wav", "pcm_s16le" },
        { "pcm", "pcm", "pcm_s16le" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EveryFormatDecodesAtTheRequestedRateForAsLongAsTheEngineSpoke(string format, string extension, string codec)
    {
        var options = new SpeechGenerationOptions { ResponseFormat = new GeneratedSpeechFormat(format), SpeedRatio = 1.0f };
        ClientResult<BinaryData> result = await Audio().GenerateSpeechAsync(Text, GeneratedSpeechVoice.Alloy, options);
        byte[] audio = result.Value.ToArray();

        ProbeResult probe = await AudioProbe.ProbeAsync(audio, extension);
        Assert.Equal(codec, probe.Codec);
        Assert.Equal(1, probe.Channels);
        if (format == "opus")
        {
            Assert.Equal(48000, probe.SampleRate); // Opus always decodes at 48 kHz; the stream records the input rate
            Assert.Equal(24000, AudioProbe.OpusInputSampleRate(audio));
        }
        else
        {
            Assert.Equal(24000, probe.SampleRate);
        }
        TimeSpan engine = await EngineDurationAsync("flite:slt", Text);
        double ratio = probe.DecodedDuration / engine;
        Assert.True(ratio is > 0.9 and < 1.1, $"{format}: {probe.DecodedDuration.TotalSeconds:0.00} s decoded vs {engine.TotalSeconds:0.00} s from the engine");
    }

    [Fact]
    public async Task TheSdkSurfacesOurErrors()
    {
        ClientResultException unknownModel = await Assert.ThrowsAsync<ClientResultException>(() =>
            Audio("tts-none").GenerateSpeechAsync("Hello.", GeneratedSpeechVoice.Alloy));
        Assert.Equal(404, unknownModel.Status);
        Assert.Contains("model_not_found", unknownModel.Message);

        ClientResultException badSpeed = await Assert.ThrowsAsync<ClientResultException>(() =>
            Audio().GenerateSpeechAsync("Hello.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { SpeedRatio = 9f }));
        Assert.Equal(400, badSpeed.Status);
        Assert.Contains("speed", badSpeed.Message);
        Assert.True(server.IsRunning);
    }

    [Fact]
    public async Task AStreamedLongRequestDeliversItsFirstBytesEarly()
    {
        // How far synthesis had got when the first bytes reached the client, from the server's own counter of
        // synthesised segments (voxgate_speech_segments_total, the meter the in-process StreamingTests read), not from
        // a clock. The text is as long as OpenAI allows a request, dozens of segments as the endpoint plans it.
        string text = LongText.ShortSentences(3000);
        int total = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest { Model = "tts-1", Voice = "alloy", Input = text, Streamed = true }).Text.Segments.Count;
        using HttpClient scraper = server.Client();
        double before = (await PrometheusText.ScrapeAsync(scraper)).Sum("voxgate_speech_segments_total");

        using HttpClient http = server.Client().WithKey(server.ApiKey);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
        {
            // PCM: the most bytes per second of audio, so the buffers between server and client hold the least of it.
            Content = HttpJson.Body(new { model = "tts-1", input = text, voice = "alloy", response_format = "pcm" }),
        };
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        Assert.True(await body.ReadAsync(new byte[16 * 1024]) > 0);

        // The client reads nothing more. The pipeline is pulled by the connection, so the server synthesises no further
        // than the socket and Kestrel buffers hold, and its count settles. The exporter may answer from a scrape it
        // cached a moment earlier (before this request), so read until the count shows this request's segments.
        double atFirstBytes = 0;
        await Eventually.HoldsAsync(async () => (atFirstBytes = (await PrometheusText.ScrapeAsync(scraper)).Sum("voxgate_speech_segments_total") - before) > 0,
            "the request's first segments counted");
        Assert.True(total >= 30, $"the text should make many segments, got {total}");
        Assert.True(atFirstBytes < total / 2, $"first bytes arrived after {atFirstBytes} of {total} segments");
        // Disposing the response leaves the rest unread: the server cancels the request.
    }
}
