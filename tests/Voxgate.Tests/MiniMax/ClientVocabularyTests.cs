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
        voice_setting = new { voice_id = "English_Graceful_Lady", emotion },
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
