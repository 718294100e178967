using System.ClientModel;
using System.Diagnostics;
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
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.ApiKey);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
        {
            Content = HttpJson.Body(new { model = "tts-1", input = LongText.StreamingSentences, voice = "alloy", response_format = "mp3" }),
        };
        var clock = Stopwatch.StartNew();
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[16 * 1024];
        Assert.True(await body.ReadAsync(buffer) > 0);
        TimeSpan firstChunk = clock.Elapsed;
        while (await body.ReadAsync(buffer) > 0)
        {
        }
        TimeSpan complete = clock.Elapsed;
        // Synthesising the 3000 characters with the clustergen voice takes on the order of a second; streaming
        // puts the first sentence on the wire long before that.
        Assert.True(firstChunk < complete / 4, $"first chunk after {firstChunk.TotalMilliseconds:0} ms of {complete.TotalMilliseconds:0} ms");
    }
}
