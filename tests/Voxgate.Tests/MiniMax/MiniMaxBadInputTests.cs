using System.Text.Json;
using System.Text.Json.Nodes;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

/// <summary>Every kind of bad request gets its MiniMax status code, with HTTP 200 and a message naming the field.</summary>
[Collection(ApiCollection.Name)]
public class MiniMaxBadInputTests(VoxgateFactory factory)
{
    private static JsonObject Valid() => new()
    {
        ["model"] = "speech-02-hd",
        ["text"] = "Hello there.",
        ["voice_setting"] = new JsonObject { ["voice_id"] = "flite:kal16" },
        ["audio_setting"] = new JsonObject { ["format"] = "mp3" },
    };

    /// <summary>A change to the valid body, the code it must get, and a word its message must contain.</summary>
    public static TheoryData<string, int, string> Cases => new()
    {
        { "text=", 2013, "text" },
        { "text=-", 2013, "text" },
        { "text=LONG", 2013, "t2a_async_v2" },
        { "model=", 2013, "model" },
        { "model=no-such-model", 2013, "no-such-model" },
        { "voice_setting.voice_id=", 2013, "voice_id" },
        { "voice_setting.voice_id=ghost", 20132, "ghost" },
        { "voice_setting.speed=2.5", 2013, "voice_setting.speed" },
        { "voice_setting.speed=fast", 2013, "voice_setting.speed" },
        { "voice_setting.vol=0", 2013, "voice_setting.vol" },
        { "voice_setting.vol=11", 2013, "voice_setting.vol" },
        { "voice_setting.pitch=13", 2013, "voice_setting.pitch" },
        { "voice_setting.pitch=1.5", 2013, "voice_setting.pitch" },
        { "voice_setting.emotion=furious", 2013, "voice_setting.emotion" },
        { "audio_setting.sample_rate=12345", 2013, "audio_setting.sample_rate" },
        { "audio_setting.bitrate=1000", 2013, "audio_setting.bitrate" },
        { "audio_setting.format=ogg", 2013, "audio_setting.format" },
        { "audio_setting.channel=3", 2013, "audio_setting.channel" },
        { "output_format=base64", 2013, "output_format" },
        { "subtitle_enable=true;subtitle_type=paragraph", 2013, "subtitle_type" },
        { "stream=true;audio_setting.format=wav", 2013, "wav" },
        { "language_boost=Klingon", 2013, "language_boost" },
        { "voice_modify.pitch=101", 2013, "voice_modify.pitch" },
        { "voice_modify.timbre=-101", 2013, "voice_modify.timbre" },
        { "voice_modify.intensity=500", 2013, "voice_modify.intensity" },
        { "voice_modify.sound_effects=underwater", 2013, "voice_modify.sound_effects" },
        { "pronunciation_dict.tone=[\"no-slash\"]", 2013, "pronunciation_dict.tone" },
        { "pronunciation_dict.tone=[\"word//ipa-without-end\"]", 2013, "pronunciation_dict.tone" },
        { "timber_weights=[{\"voice_id\":\"flite:kal16\",\"weight\":50},{\"voice_id\":\"flite:slt\",\"weight\":50}]", 2013, "flite" },
        { "timber_weights=[{\"voice_id\":\"flite:kal16\",\"weight\":0}]", 2013, "timber_weights.weight" },
        { "timber_weights=[1,2,3,4,5]", 2013, "timber_weights" },
        { "text=Pause <#120#> too long.", 2013, "<#120#>" },
        { "text=Pause <#-1#> backwards.", 2013, "The pause marker <#-1#> is not a number of seconds" },
        { "text=Pause <# #> blank.", 2013, "<# #>" },
        { "text=INVISIBLE", 1042, "invisible" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInputGetsItsStatusCode(string change, int code, string mentions)
    {
        JsonObject body = Valid();
        foreach (string assignment in change.Split(';'))
        {
            Apply(body, assignment);
        }
        JsonElement answer = await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2", body);

        Assert.True(MiniMaxApi.StatusCode(answer) == code, $"{change}: expected {code}, got {Shorten(answer)}");
        Assert.Contains(mentions, MiniMaxApi.StatusMessage(answer), StringComparison.OrdinalIgnoreCase);
        Assert.False(answer.TryGetProperty("data", out _));
        // The server stays healthy: the same client's next good request succeeds.
        MiniMaxApi.Ok(await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2", Valid()));
    }

    [Theory]
    [InlineData("{\"model\": \"speech-02-hd\", \"text\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("not json at all")]
    public async Task MalformedBodiesGet2013(string raw)
    {
        using HttpResponseMessage response = await factory.CreateClient().PostAsync("/minimax/v1/t2a_v2", HttpJson.Raw(raw));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2013, MiniMaxApi.StatusCode(await response.JsonAsync()));
    }

    [Fact]
    public async Task InvisibleCharactersUnderTenPercentAreSpokenAndReported()
    {
        JsonObject body = Valid();
        body["text"] = "Hello there, friend of mine\u200B\u200B."; // 2 of 30 characters
        JsonElement answer = MiniMaxApi.Ok(await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2", body));
        Assert.InRange(answer.GetProperty("extra_info").GetProperty("invisible_character_ratio").GetDouble(), 0.06, 0.07);
    }

    [Fact]
    public async Task KeysAndLimitsGetTheirCodes()
    {
        string rpm = await factory.CreateKeyAsync("minimax-rpm", "5.00", requestsPerMinute: 1);
        string cpm = await factory.CreateKeyAsync("minimax-cpm", "5.00", charactersPerMinute: 5);
        string broke = await factory.CreateKeyAsync("minimax-broke");

        Assert.Equal(1004, await CodeWithKeyAsync(null));
        Assert.Equal(1004, await CodeWithKeyAsync("sk-vg-not-a-real-key-000000000000000000"));
        Assert.Equal(0, await CodeWithKeyAsync(rpm));
        Assert.Equal(1002, await CodeWithKeyAsync(rpm));
        Assert.Equal(1039, await CodeWithKeyAsync(cpm));
        Assert.Equal(1008, await CodeWithKeyAsync(broke));
    }

    private async Task<int> CodeWithKeyAsync(string? key)
    {
        using HttpClient client = factory.CreateClientWithKey(key);
        return MiniMaxApi.StatusCode(await new MiniMaxApi(client).PostAsync("t2a_v2", Valid()));
    }

    private static string Shorten(JsonElement answer) => answer.ToString() is { Length: > 500 } text ? text[..500] + "..." : answer.ToString();

    private static void Apply(JsonObject body, string assignment)
    {
        string[] parts = assignment.Split('=', 2);
        string[] path = parts[0].Split('.');
        JsonObject parent = body;
        foreach (string name in path[..^1])
        {
            parent = (parent[name] ??= new JsonObject()).AsObject();
        }
        parent[path[^1]] = parts[1] switch
        {
            "LONG" => string.Concat(Enumerable.Repeat("Ten chars. ", 1000)),
            "INVISIBLE" => "Hi" + new string('\u200B', 10),
            "true" => true,
            string v when v.StartsWith('[') => JsonNode.Parse(v),
            string v when double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out double number) => number,
            string v => v,
        };
    }
}
