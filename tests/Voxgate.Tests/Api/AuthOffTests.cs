using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>The server with VOXGATE_AUTH=off.</summary>
public sealed class AuthOffFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Auth:Mode", "off")];
}

/// <summary>With authentication off, the keys SDKs always send (placeholders) are ignored: each caller is anonymous.</summary>
public class AuthOffTests(AuthOffFactory factory) : IClassFixture<AuthOffFactory>
{
    [Fact]
    public async Task TheSdkWithADummyKeyIsServedAsAnonymous()
    {
        ClientResult<BinaryData> speech = await factory.OpenAiAudio("sk-dummy")
            .GenerateSpeechAsync("Any key will do.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm });
        Assert.True(speech.Value.ToArray().Length > 1000);

        // A well-formed key of no account, and MiniMax's surface, the same.
        string unknown = "sk-vg-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
        HttpResponseMessage models = await factory.CreateClientWithKey(unknown).GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        JsonElement minimax = await new MiniMaxApi(factory.CreateClientWithKey("not-a-key-at-all")).PostAsync("t2a_v2", new
        {
            model = "speech-02-hd", text = "Anonymous.", voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "pcm" },
        });
        Assert.Equal(0, MiniMaxApi.StatusCode(minimax));
    }

    [Fact]
    public async Task AnAccountsKeyIsIgnoredTooSoNothingIsCharged()
    {
        string key = await factory.CreateKeyAsync("auth-off-account", "1.00");
        HttpClient customer = factory.CreateClientWithKey(key);
        HttpResponseMessage speech = await customer.PostSpeechAsync(new { model = "tts-1", input = "Free while authentication is off.", voice = "alloy", response_format = "pcm" });
        Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        await speech.Content.ReadAsByteArrayAsync();
        HttpClient admin = factory.CreateClientWithKey(VoxgateFactory.AdminKey);
        JsonElement[] ledger = [.. (await (await admin.GetAsync("/admin/accounts/auth-off-account/ledger")).JsonAsync()).GetProperty("data").EnumerateArray()];
        Assert.DoesNotContain(ledger, line => line.GetProperty("kind").GetString() == "charge");
    }

    [Fact]
    public async Task AdminEndpointsStillCheckTheKey()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClientWithKey("sk-dummy").GetAsync("/admin/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClientWithKey(null).GetAsync("/admin/accounts")).StatusCode); // anonymous: no admin scope
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClientWithKey(VoxgateFactory.AdminKey).GetAsync("/admin/accounts")).StatusCode);
    }
}
