using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

[Collection(ApiCollection.Name)]
public class CatalogEndpointTests(VoxgateFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ModelsAreListedInOpenAiFormatWithAliasesPricesAndRoutes()
    {
        JsonElement list = await (await _client.GetAsync("/v1/models")).JsonAsync();
        Assert.Equal("list", list.GetProperty("object").GetString());
        JsonElement[] models = [.. list.GetProperty("data").EnumerateArray()];
        Assert.All(models, m => Assert.Equal("model", m.GetProperty("object").GetString()));
        JsonElement minimax = models.Single(m => m.GetProperty("id").GetString() == "minimax/minimax-speech-02-hd");
        Assert.Equal(100_000, minimax.GetProperty("pricing").GetProperty("price_micros").GetInt64());
        Assert.Equal("0.100000", minimax.GetProperty("pricing").GetProperty("price_usd").GetString());
        Assert.Equal("local", minimax.GetProperty("route").GetProperty("kind").GetString());
        Assert.Contains("not configured", minimax.GetProperty("route").GetProperty("note").GetString());
        string[] aliases = [.. models.SelectMany(m => m.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!))];
        Assert.Subset(aliases.ToHashSet(), new HashSet<string> { "tts-1", "tts-1-hd", "gpt-4o-mini-tts", "speech-02-hd", "speech-2.6-hd" });
    }

    [Theory]
    [InlineData("tts-1", "voxgate/flite")]
    [InlineData("minimax/minimax-speech-02-hd", "minimax/minimax-speech-02-hd")]
    [InlineData("speech-2.6-hd", "minimax/speech-2.6-hd")]
    public async Task AModelIsFoundByIdOrAlias(string name, string id)
    {
        HttpResponseMessage response = await _client.GetAsync($"/v1/models/{name}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (await response.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnUnknownModelIs404ModelNotFound()
    {
        HttpResponseMessage response = await _client.GetAsync("/v1/models/no/such-model");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        JsonElement error = await response.ErrorAsync();
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("no/such-model", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task VoicesFilterByLanguageAndShowTheirNames()
    {
        JsonElement[] english = [.. (await (await _client.GetAsync("/v1/voices?language=en")).JsonAsync()).GetProperty("data").EnumerateArray()];
        Assert.All(english, v => Assert.StartsWith("en", v.GetProperty("language").GetString()));
        JsonElement slt = english.Single(v => v.GetProperty("id").GetString() == "flite:slt");
        Assert.Equal("female", slt.GetProperty("gender").GetString());
        Assert.Equal(16000, slt.GetProperty("sample_rate").GetInt32());
        Assert.Contains("alloy", slt.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains(english, v => v.GetProperty("id").GetString() == "espeak:en-gb-x-rp");

        JsonElement[] german = [.. (await (await _client.GetAsync("/v1/voices?language=de")).JsonAsync()).GetProperty("data").EnumerateArray()];
        Assert.Equal(["espeak:de"], german.Select(v => v.GetProperty("id").GetString()));

        JsonElement[] none = [.. (await (await _client.GetAsync("/v1/voices?language=xx-nowhere")).JsonAsync()).GetProperty("data").EnumerateArray()];
        Assert.Empty(none);

        JsonElement[] french = [.. (await (await _client.GetAsync("/v1/voices?language=fr&engine=espeak")).JsonAsync()).GetProperty("data").EnumerateArray()];
        Assert.Contains(french, v => v.GetProperty("aliases").EnumerateArray().Any(a => a.GetString() == "espeak:fr"));
    }

    [Fact]
    public async Task HealthReadinessAndOpenApiAnswer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
        JsonElement ready = await (await _client.GetAsync("/readyz")).JsonAsync();
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(2, ready.GetProperty("engines").GetArrayLength());

        JsonElement openApi = await (await _client.GetAsync("/openapi.json")).JsonAsync();
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/v1/audio/speech", out _));
        JsonElement body = openApi.GetProperty("components").GetProperty("schemas").GetProperty("SpeechRequestDocument").GetProperty("properties");
        Assert.True(body.TryGetProperty("response_format", out _));
    }
}
