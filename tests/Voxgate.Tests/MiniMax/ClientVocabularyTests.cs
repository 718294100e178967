using System.Text.Json;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Tests.Api;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

/// <summary>What MiniMax clients write that is not in today's reference: emotion "neutral", and 2.8's interjection tags.</summary>
[Collection(ApiCollection.Name)]
public class ClientVocabularyTests(VoxgateFactory factory)
{
    private MiniMaxApi Api() => new(factory.CreateClient());

    private static object Body(string text, string? emotion = null, string model = "speech-2.8-hd") => new
    {
        model,
        text,
        voice_setting = new { voice_id = "flite:kal16", emotion }, // a voice no installed model takes over mid-test
        audio_setting = new { format = "pcm", sample_rate = 16000 },
    };

    [Fact]
    public async Task NeutralIsNoEmotionOnTheSynchronousAndAsynchronousEndpoints()
    {
        const string Text = "A plain sentence, read as it is.";
        JsonElement neutral = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", Body(Text, "neutral")));
        JsonElement none = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", Body(Text)));
        int difference = none.GetProperty("extra_info").GetProperty("audio_length").GetInt32() - neutral.GetProperty("extra_info").GetProperty("audio_length").GetInt32();
        Assert.InRange(difference, -20, 20); // no emotion's speed change (the smallest, happy's, is 6%)

        JsonElement task = MiniMaxApi.Ok(await Api().PostAsync("t2a_async_v2", Body(Text, "neutral")));
        Assert.True(task.GetProperty("task_id").GetInt64() > 0);

        JsonElement unknown = await Api().PostAsync("t2a_v2", Body(Text, "bored"));
        Assert.Equal(2013, MiniMaxApi.StatusCode(unknown));
        Assert.Contains("neutral", unknown.GetProperty("base_resp").GetProperty("status_msg").GetString());
    }

    [Fact]
    public void NeutralInstructionsOrEmotionChangeNothingAndAreNoControlForAProvider()
    {
        Assert.Equal((0.0, 1.0, 0), Emotions.Prosody(Emotions.Neutral));
        Assert.Equal(Emotions.Neutral, Emotions.FromInstructions("Read it in a neutral voice."));
        Assert.False(Emotions.AsksForOne("neutral"));
        Assert.True(Emotions.AsksForOne("happy"));
    }

    [Fact]
    public void InterjectionTagsBecomeShortPausesAndAreNotReadAloud()
    {
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest
        {
            Model = "speech-2.8-hd", Voice = "flite:slt", Input = "Oh no, (gasps) the gateway is down! (sighs) Again (laughs).",
        });
        Assert.DoesNotContain(plan.Text.Segments, s => s.Text.Contains("gasps") || s.Text.Contains("sighs") || s.Text.Contains("laughs"));
        Assert.Equal(3, plan.Text.Segments.Count(s => s.Pause == InterjectionTags.Pause));
        Assert.Equal(TextMetrics.CountCharacters("Oh no, (gasps) the gateway is down! (sighs) Again (laughs)."), plan.Text.Characters);

        // Only MiniMax's exact tags: other words in parentheses, or another case, are text.
        List<(string Text, TimeSpan Pause)> pieces = PauseMarkers.Split("He (laughing) said (Laughs) it (sigh).");
        Assert.Equal("He (laughing) said (Laughs) it (sigh).", Assert.Single(pieces).Text);
        Assert.All(InterjectionTags.Names, name => Assert.Contains(PauseMarkers.Split($"a ({name}) b"), p => p.Pause == InterjectionTags.Pause));
    }

    [Fact]
    public async Task TaggedTextIsBilledAsSentAndLastsLongerByItsPauses()
    {
        const string Tagged = "Well (sighs) here we are (breath) again.";
        JsonElement tagged = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", Body(Tagged)));
        JsonElement plain = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", Body("Well here we are again.")));
        Assert.Equal(TextMetrics.CountCharacters(Tagged), tagged.GetProperty("extra_info").GetProperty("usage_characters").GetInt32());
        int longer = tagged.GetProperty("extra_info").GetProperty("audio_length").GetInt32() - plain.GetProperty("extra_info").GetProperty("audio_length").GetInt32();
        Assert.InRange(longer, 500, 1500); // two pauses of 0.4 s (engine pads trimmed around them), and no words "sighs" and "breath"
    }
}

/// <summary>MiniMax clients print the <c>Trace-Id</c> header when a call fails: every answer of the surface carries it.</summary>
[Collection(ApiCollection.Name)]
public class TraceIdHeaderTests(VoxgateFactory factory)
{
    private static readonly object s_speech = new
    {
        model = "speech-02-hd", text = "Trace me.", voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "pcm" },
    };

    public static TheoryData<string, string?, string, object?> Answers => new()
    {
        { "POST", "key", "/minimax/v1/t2a_v2", s_speech },                                           // success
        { "POST", "key", "/v1/t2a_v2", new { model = "speech-02-hd", text = "x", voice_setting = new { voice_id = "nobody" } } }, // unknown voice, unprefixed
        { "POST", "key", "/minimax/v1/t2a_v2", "not json" },                                         // malformed body
        { "POST", null, "/minimax/v1/t2a_v2", s_speech },                                            // no key: 1004
        { "POST", "key", "/minimax/v1/t2a_async_v2", new { model = "speech-02-hd", voice_setting = new { voice_id = "flite:kal16" } } }, // no text
        { "GET", "key", "/minimax/v1/query/t2a_async_query_v2?task_id=12345", null },               // no such task
        { "GET", "key", "/minimax/v1/files/list", null },                                           // success
        { "GET", null, "/minimax/v1/files/download/1?expires=1&signature=x", null },               // a bad link: 403
        { "GET", "key", "/minimax/v1/no-such-route", null },                                         // unknown path: 404
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task EveryAnswerCarriesTheTraceIdOfItsBody(string method, string? key, string path, object? body)
    {
        HttpClient client = key is null ? factory.CreateClientWithKey(null) : factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body switch
            {
                null => null,
                string text => new StringContent(text, System.Text.Encoding.UTF8, "application/json"),
                _ => HttpJson.Body(body),
            },
        };
        HttpResponseMessage response = await client.SendAsync(request);
        JsonElement answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string traceId = answer.GetProperty("trace_id").GetString()!;
        Assert.StartsWith("req_", traceId);
        Assert.Equal(traceId, Assert.Single(response.Headers.GetValues("Trace-Id")));
    }

    [Fact]
    public async Task AStreamCarriesItToo()
    {
        HttpResponseMessage response = await factory.CreateClient().PostAsync("/minimax/v1/t2a_v2", HttpJson.Body(new
        {
            model = "speech-02-hd", text = "Streamed.", stream = true, voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "pcm" },
        }));
        string events = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"trace_id\":\"{Assert.Single(response.Headers.GetValues("Trace-Id"))}\"", events);
    }
}
