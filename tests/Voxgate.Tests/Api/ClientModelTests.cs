using System.ClientModel;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Speech.Catalog;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>Model names real clients send, each in the catalog with its price and served like its siblings.</summary>
[Collection(ApiCollection.Name)]
public class ClientModelTests(VoxgateFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("gpt-4o-mini-tts-2025-12-15", "voxgate/local-hd", 10_000)]
    [InlineData("gpt-4o-mini-tts-2025-03-20", "voxgate/local-hd", 10_000)]
    [InlineData("speech-2.8-hd", "minimax/speech-2.8-hd", 100_000)]
    [InlineData("speech-2.8-turbo", "minimax/speech-2.8-turbo", 60_000)]
    [InlineData("speech-2.6-turbo", "minimax/speech-2.6-turbo", 60_000)]
    [InlineData("speech-02-turbo", "minimax/minimax-speech-02-turbo", 60_000)]
    [InlineData("speech-01-hd", "minimax/speech-01-hd", 100_000)]
    [InlineData("speech-01-turbo", "minimax/speech-01-turbo", 60_000)]
    public async Task ModelNamesClientsSendAreInTheCatalogWithTheirPrices(string name, string id, long priceMicros)
    {
        JsonElement model = await (await _client.GetAsync($"/v1/models/{name}")).JsonAsync();
        Assert.Equal(id, model.GetProperty("id").GetString());
        Assert.Equal(priceMicros, model.GetProperty("pricing").GetProperty("price_micros").GetInt64());
    }

    [Fact]
    public void TheNewMiniMaxModelsAreServedLikeTheirSiblingsAndRelayedUnderTheirOwnNames()
    {
        ModelCatalog catalog = factory.Service<ModelCatalog>();
        ModelDefinition sibling = catalog.Find("speech-2.6-hd")!;
        foreach (string name in new[] { "speech-2.8-hd", "speech-2.8-turbo", "speech-2.6-turbo", "speech-02-turbo", "speech-01-hd", "speech-01-turbo" })
        {
            ModelDefinition model = catalog.Find(name)!;
            Assert.Equal(sibling.Engine, model.Engine);
            Assert.Equal(sibling.DefaultVoice, model.DefaultVoice);
            Assert.Equal(sibling.Prefer.Select(p => p.Engine), model.Prefer.Select(p => p.Engine));
            Assert.Equal("minimax", model.Upstream);
            Assert.Equal(name, model.UpstreamModel);
        }
    }

    [Fact]
    public async Task TheSdkSpeaksWithASnapshotNameAndMiniMaxClientsWithANewModel()
    {
        string key = await factory.CreateKeyAsync("snapshot-names", "1.00");
        ClientResult<BinaryData> speech = await factory.OpenAiAudio(key, "gpt-4o-mini-tts-2025-12-15")
            .GenerateSpeechAsync("A dated snapshot name.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav });
        Assert.True(speech.Value.ToArray().Length > 1000);

        var minimax = new MiniMaxApi(factory.CreateClient().WithKey(key));
        JsonElement answer = await minimax.PostAsync("t2a_v2", new
        {
            model = "speech-2.8-turbo", text = "A newer model name.", voice_setting = new { voice_id = "English_Graceful_Lady" }, audio_setting = new { format = "pcm" },
        });
        Assert.Equal(0, MiniMaxApi.StatusCode(answer));
        Assert.Equal(19, answer.GetProperty("extra_info").GetProperty("usage_characters").GetInt32());
    }

    [Fact]
    public async Task WithoutAnUpstreamTheDescriptionSaysTheLocalEngineServesIt()
    {
        JsonElement model = await (await _client.GetAsync("/v1/models/speech-2.8-hd")).JsonAsync();
        Assert.Equal("local", model.GetProperty("route").GetProperty("kind").GetString());
        Assert.Contains("not configured", model.GetProperty("description").GetString());
    }
}

/// <summary>The shipped catalog with MiniMax's upstream configured (an address nothing answers: only descriptions are read).</summary>
public sealed class MiniMaxUpstreamFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Voxgate:Upstreams:minimax:Kind", "MiniMax"),
        new("Voxgate:Upstreams:minimax:BaseUrl", "http://127.0.0.1:9"),
        new("Voxgate:Upstreams:minimax:ApiKey", "operator-key-for-the-description-test"),
    ];
}

public class UpstreamDescriptionTests(MiniMaxUpstreamFactory factory) : IClassFixture<MiniMaxUpstreamFactory>
{
    [Fact]
    public async Task WithAnUpstreamEveryMiniMaxModelSaysItIsServedThere()
    {
        HttpClient client = factory.CreateClient();
        JsonElement[] models = [.. (await (await client.GetAsync("/v1/models")).JsonAsync()).GetProperty("data").EnumerateArray()
            .Where(m => m.GetProperty("owned_by").GetString() == "minimax")];
        Assert.Equal(8, models.Length);
        Assert.All(models, m =>
        {
            Assert.Equal("upstream", m.GetProperty("route").GetProperty("kind").GetString());
            string description = m.GetProperty("description").GetString()!;
            Assert.DoesNotContain("not configured", description);
            Assert.DoesNotContain("No upstream", description);
            Assert.Contains("Served by 'minimax'", description);
        });
        string one = (await (await client.GetAsync("/v1/models/minimax%2Fminimax-speech-02-hd")).JsonAsync()).GetProperty("description").GetString()!;
        Assert.StartsWith("MiniMax Speech-02 HD", one);
        Assert.Contains("Served by 'minimax'", one);
    }
}
