using System.ClientModel;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using OpenAI.Audio;
using Voxgate.Tests.Support;
using Voxgate.Tests.WebSocket;

namespace Voxgate.Tests.Api;

/// <summary>
/// SSML over real HTTP: through the official OpenAI SDK and the MiniMax surface (synchronous, WebSocket), the audio
/// measured by ffprobe/ffmpeg (lengths compared with each other, never with the clock).
/// </summary>
[Collection(ApiCollection.Name)]
public class SsmlApiTests(VoxgateFactory factory)
{
    private const string Voice = "espeak:en-us";

    private AudioClient Audio(string? key = null)
    {
        factory.CreateClient().Dispose(); // starts the server, which creates the test key
        return factory.OpenAiAudio(key ?? factory.ApiKey);
    }

    private async Task<byte[]> WavAsync(string input, string voice = Voice, string? key = null)
    {
        ClientResult<BinaryData> result = await Audio(key).GenerateSpeechAsync(input, new GeneratedSpeechVoice(voice),
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav });
        return result.Value.ToArray();
    }

    private async Task<double> SecondsAsync(string input, string voice = Voice) =>
        (await AudioProbe.ProbeAsync(await WavAsync(input, voice), "wav")).DecodedDuration.TotalSeconds;

    [Fact]
    public async Task ABreakOfOneSecondMakesTheAudioOneSecondLonger()
    {
        double shortBreak = await SecondsAsync("<speak>One two three. <break time=\"10ms\"/>Four five six.</speak>");
        double second = await SecondsAsync("<speak>One two three. <break time=\"1s\"/>Four five six.</speak>");
        double strong = await SecondsAsync("<speak>One two three. <break strength=\"x-strong\"/>Four five six.</speak>");
        double without = await SecondsAsync("<speak>One two three. Four five six.</speak>");

        Assert.InRange(second - shortBreak, 0.97, 1.02);
        Assert.InRange(strong - shortBreak, 0.97, 1.02); // x-strong is 1 s
        // Without a break the sentences keep the engine's own silence between them, which a break replaces.
        Assert.InRange(second - without, 0.5, 1.1);
    }

    [Fact]
    public async Task AVoiceElementSwitchesTheVoiceForItsText()
    {
        const string second = "And so does this one, which is spoken in another voice entirely and at its own pace.";
        // How long each sentence lasts, from the sentence subtitles (times in the audio, not on the clock).
        async Task<long[]> SentencesAsync(string text, string voice = Voice)
        {
            var body = new
            {
                model = "speech-02-hd", text, subtitle_enable = true, subtitle_type = "sentence",
                voice_setting = new { voice_id = voice }, audio_setting = new { format = "wav" },
            };
            JsonElement answer = MiniMaxApi.Ok(await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2", body));
            string link = answer.GetProperty("data").GetProperty("subtitle_file").GetString()!;
            return [.. JsonDocument.Parse(await factory.CreateClient().GetStringAsync(link)).RootElement.EnumerateArray()
                .Select(s => s.GetProperty("time_end").GetInt64() - s.GetProperty("time_begin").GetInt64())];
        }
        long[] same = await SentencesAsync($"<speak>The first sentence stays. {second}</speak>");
        long[] switched = await SentencesAsync($"<speak>The first sentence stays. <voice name=\"espeak:fr\">{second}</voice></speak>");
        long french = Assert.Single(await SentencesAsync(second, "espeak:fr"));

        Assert.Equal(2, switched.Length);
        // The same voice's sentence, within 60 ms: in a full run (other requests on the engine between these) it came
        // out 39 ms shorter once, where alone it is the same to the millisecond; a switched voice differs by far more.
        Assert.InRange(switched[0], same[0] - 60, same[0] + 60);
        Assert.InRange(switched[1], french - 60, french + 60); // the French voice's reading, edges trimmed as inside a text
        Assert.True(Math.Abs(same[1] - switched[1]) > 200, $"en-us {same[1]} ms, switched {switched[1]} ms");

        // A language the voice does not speak is spoken by a voice of the engine that does.
        long[] language = await SentencesAsync($"<speak>The first sentence stays. <lang xml:lang=\"fr-FR\">{second}</lang></speak>");
        Assert.InRange(language[1], french - 60, french + 60);
    }

    [Fact]
    public async Task ProsodyRateStretchesOnlyItsOwnSegment()
    {
        const string slow = "This sentence is spoken slowly.";
        double normal = await SecondsAsync($"<speak>Hello there. {slow}</speak>");
        double halved = await SecondsAsync($"<speak>Hello there. <prosody rate=\"50%\">{slow}</prosody></speak>");
        double alone = await SecondsAsync($"<speak>{slow}</speak>");

        // At half the rate the sentence lasts twice as long: the audio grows by about the sentence's own length.
        double grown = halved - normal;
        Assert.True(grown > 0.75 * alone && grown < 1.25 * alone, $"grew {grown:0.###} s; the sentence alone is {alone:0.###} s");
    }

    [Fact]
    public async Task AVoiceOfAnotherEngineIsRefusedNamingBoth()
    {
        ClientResultException refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            WavAsync("<speak>Hello <voice name=\"flite:kal16\">there</voice>.</speak>"));
        Assert.Equal(400, refused.Status);
        Assert.Contains("invalid_request_error", refused.Message);
        Assert.Contains("flite:kal16", refused.Message);
        Assert.Contains("espeak", refused.Message);
    }

    [Fact]
    public async Task SayAsCardinalAndDigitsDifferInTheWordSubtitles()
    {
        async Task<JsonElement> WordAsync(string interpretAs)
        {
            var body = new
            {
                model = "speech-02-hd",
                text = $"<speak>Count <say-as interpret-as=\"{interpretAs}\">1000000</say-as> now.</speak>",
                subtitle_enable = true,
                subtitle_type = "word",
                voice_setting = new { voice_id = Voice },
                audio_setting = new { format = "mp3" },
            };
            JsonElement answer = MiniMaxApi.Ok(await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2", body));
            string link = answer.GetProperty("data").GetProperty("subtitle_file").GetString()!;
            JsonElement sentence = Assert.Single(JsonDocument.Parse(await factory.CreateClient().GetStringAsync(link)).RootElement.EnumerateArray());
            // Subtitles show the document's text content, and index it.
            Assert.Equal("Count 1000000 now.", sentence.GetProperty("text").GetString());
            return sentence.GetProperty("timestamped_words").EnumerateArray().Single(w => w.GetProperty("word").GetString() == "1000000");
        }
        JsonElement cardinal = await WordAsync("cardinal"), digits = await WordAsync("digits");

        Assert.Equal((6, 13), (cardinal.GetProperty("word_begin").GetInt32(), cardinal.GetProperty("word_end").GetInt32()));
        static long Length(JsonElement word) => word.GetProperty("time_end").GetInt64() - word.GetProperty("time_begin").GetInt64();
        // "one million" against "one zero zero zero zero zero zero".
        Assert.True(Length(digits) > 2 * Length(cardinal), $"digits {digits}, cardinal {cardinal}");
    }

    [Fact]
    public async Task AnSsmlRequestIsChargedForItsTextContentOnly()
    {
        const string content = "Hello there. How are you today?";
        string ssmlKey = await factory.CreateKeyAsync("ssml-billing-markup", "1.00");
        string plainKey = await factory.CreateKeyAsync("ssml-billing-plain", "1.00");
        await WavAsync("<speak version=\"1.0\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"en-US\">\n  <p><s>Hello <break time=\"300ms\"/>there.</s>\n" +
            "  <s><prosody rate=\"slow\">How</prosody> are <emphasis>you</emphasis> today?</s></p>\n</speak>", key: ssmlKey);
        await WavAsync(content, key: plainKey);

        JsonElement ssml = (await (await factory.CreateClient().WithKey(ssmlKey).GetAsync("/v1/usage")).JsonAsync()).GetProperty("total");
        JsonElement plain = (await (await factory.CreateClient().WithKey(plainKey).GetAsync("/v1/usage")).JsonAsync()).GetProperty("total");
        Assert.Equal(content.Length, plain.GetProperty("characters").GetInt64());
        Assert.Equal(plain.GetProperty("characters").GetInt64(), ssml.GetProperty("characters").GetInt64());
        Assert.True(plain.GetProperty("cost_micros").GetInt64() > 0);
        Assert.Equal(plain.GetProperty("cost_micros").GetInt64(), ssml.GetProperty("cost_micros").GetInt64());
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "<speak>Hello <break time=\"500ms\"></speak>", "line 1, column 36" },
        { "<speak>\n  <prosody rate=\"zippy\">x</prosody>\n</speak>", "line 2, column 4" },
        {
            "<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY a \"lololololol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">" +
            "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>" +
            "<speak>&e;&e;&e;&e;&e;&e;&e;&e;</speak>", "DOCTYPE"
        },
        { "<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><speak>&x;</speak>", "DOCTYPE" },
        { "<speak>Hello &x;</speak>", "line 1, column 15" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedOrHostileDocumentIs400OnOpenAiAnd2013OnMiniMaxAndTheServerStaysHealthy(string input, string named)
    {
        HttpResponseMessage openAi = await factory.CreateClient().PostSpeechAsync(new { model = "tts-1", input, voice = Voice });
        Assert.Equal(HttpStatusCode.BadRequest, openAi.StatusCode);
        JsonElement error = await openAi.ErrorAsync();
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("input", error.GetProperty("param").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString());
        Assert.DoesNotContain("root:", error.GetProperty("message").GetString());

        JsonElement miniMax = await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2",
            new { model = "speech-02-hd", text = input, voice_setting = new { voice_id = Voice } });
        Assert.Equal(2013, MiniMaxApi.StatusCode(miniMax));
        Assert.Contains(named, MiniMaxApi.StatusMessage(miniMax));

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);
        Assert.True((await SecondsAsync("<speak>Still <emphasis>here</emphasis>.</speak>")) > 0.3);
    }

    [Fact]
    public async Task AnAsynchronousTaskSpeaksADocumentAndRefusesAMalformedOneAtCreation()
    {
        var api = new MiniMaxApi(factory.CreateClient());
        object Body(string text) => new { model = "speech-02-hd", text, voice_setting = new { voice_id = Voice }, audio_setting = new { format = "mp3" } };

        JsonElement refused = await api.PostAsync("t2a_async_v2", Body("<speak><s>Unclosed</speak>"));
        Assert.Equal(2013, MiniMaxApi.StatusCode(refused));
        Assert.Contains("line 1, column", MiniMaxApi.StatusMessage(refused));

        JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", Body("<speak>A task. <break time=\"2s\"/>In SSML.</speak>")));
        Assert.Equal("A task. In SSML.".Length, created.GetProperty("usage_characters").GetInt32());
        long taskId = created.GetProperty("task_id").GetInt64();
        Assert.Equal("Success", (await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        using HttpResponseMessage content = await api.Http.GetAsync($"/minimax/v1/files/retrieve_content?file_id={created.GetProperty("file_id").GetInt64()}");
        Dictionary<string, byte[]> entries = await MiniMaxApi.UntarAsync(await content.Content.ReadAsByteArrayAsync());
        double seconds = (await AudioProbe.ProbeAsync(entries[$"{taskId}.mp3"], "mp3")).DecodedDuration.TotalSeconds;
        Assert.InRange(seconds, 2.8, 6); // the words and the 2 s break
    }

    [Fact]
    public async Task TextThatIsNotADocumentKeepsItsMeaning()
    {
        // Angle brackets in plain text are plain text: only a document rooted in <speak> is SSML. The markup is read
        // out (its words take less than the 5 s pause the same break makes inside a document).
        double plain = await SecondsAsync("Is 3 < 4? Say <break time=\"5s\"/> aloud.");
        double document = await SecondsAsync("<speak>Is 3 &lt; 4? Say <break time=\"5s\"/> aloud.</speak>");
        Assert.True(plain + 2 < document, $"plain text {plain:0.00} s, the document with its 5 s pause {document:0.00} s");
    }

    [Fact]
    public async Task AWebSocketTaskSpeaksADocumentInOneTaskContinue()
    {
        WebSocketClient connector = factory.Server.CreateWebSocketClient();
        connector.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + factory.ApiKey;
        await using MiniMaxSocketClient client = MiniMaxSocketClient.Over(
            await connector.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/v1/t2a_v2"), CancellationToken.None));
        await client.ExpectAsync("connected_success");
        await client.SendAsync(new Dictionary<string, object>
        {
            ["event"] = "task_start", ["model"] = "speech-02-hd", ["voice_setting"] = new { voice_id = Voice },
            ["audio_setting"] = new { format = "mp3", sample_rate = 24000 },
        });
        await client.ExpectAsync("task_started");
        await client.SendAsync(new Dictionary<string, object> { ["event"] = "task_continue", ["text"] = "Plain text first, " });
        await client.SendAsync(new Dictionary<string, object>
        {
            ["event"] = "task_continue", ["text"] = "<speak>then a document. <break time=\"2s\"/>Done.</speak>",
        });
        await client.SendAsync(new Dictionary<string, object> { ["event"] = "task_finish" });
        List<JsonElement> events = await client.ReceiveUntilEndAsync();

        Assert.Equal("task_finished", MiniMaxSocketClient.Event(events[^1]));
        byte[] audio = [.. events.SelectMany(MiniMaxSocketClient.Audio)];
        double seconds = (await AudioProbe.ProbeAsync(audio, "mp3")).DecodedDuration.TotalSeconds;
        Assert.InRange(seconds, 3.5, 9); // the words and the 2 s break
        // Billed for the text content: the plain piece and the document's text, not its markup.
        Assert.Equal("Plain text first, then a document. Done.".Length, events[^1].GetProperty("extra_info").GetProperty("usage_characters").GetInt32());
    }
}
