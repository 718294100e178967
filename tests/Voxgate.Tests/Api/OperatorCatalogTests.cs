using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>An operator's &lt;data&gt;/catalog.json replaces the shipped catalog whole.</summary>
public sealed class OperatorCatalogFactory : VoxgateFactory
{
    public OperatorCatalogFactory()
    {
        File.WriteAllText(Path.Combine(DataDirectory, "catalog.json"), """
            {
              "Voxgate": {
                "Catalog": {
                  "VoiceAliases": { "narrator": "espeak:en-gb-x-rp" },
                  "Models": [
                    { "Id": "acme/audiobook", "Aliases": [ "book" ], "Engine": "espeak", "PricePer1KCharactersMicros": 1500, "DefaultVoice": "espeak:en-gb" }
                  ]
                }
              }
            }
            """);
    }
}

public class OperatorCatalogTests(OperatorCatalogFactory factory) : IClassFixture<OperatorCatalogFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task OnlyTheOperatorsModelsAndNamesExist()
    {
        JsonElement models = (await (await _client.GetAsync("/v1/models")).JsonAsync()).GetProperty("data");
        Assert.Equal(["acme/audiobook"], models.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(1500, models[0].GetProperty("pricing").GetProperty("price_micros").GetInt64());

        HttpResponseMessage spoken = await _client.PostSpeechAsync(new { model = "book", input = "Chapter one.", voice = "narrator" });
        Assert.Equal(HttpStatusCode.OK, spoken.StatusCode);
        Assert.Equal("espeak:en-gb-x-rp", spoken.Headers.GetValues("x-voxgate-voice").Single());

        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "alloy" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostSpeechAsync(new { model = "book", input = "Hi.", voice = "alloy" })).StatusCode);
    }
}
