using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Tests.Support;

// The SDK marks its custom-voice methods as evaluation-only (OPENAI001); they are what clients call.
#pragma warning disable OPENAI001

namespace Voxgate.Tests.Voices;

/// <summary>
/// OpenAI's custom voices over real HTTP and through the official SDK: consent recordings, voice creation (refused
/// without a cloning model), the organisation's voice list at /v1/audio/voices, and the server's own voices moved to
/// /v1/voices. The SDK (2.15) has protocol methods for consents (create, get, list, update, delete) and for creating a voice;
/// it has none for listing or getting voices, which are checked over raw HTTP only.
/// </summary>
[Collection(SecondApiCollection.Name)]
public class OpenAiVoiceTests(VoxgateFactory factory)
{
    private async Task<(HttpClient Client, string Key)> AccountAsync(string name)
    {
        string key = await factory.CreateKeyAsync(name + "-" + Guid.NewGuid().ToString("N")[..8], "5.00");
        return (factory.CreateClientWithKey(key), key);
    }

    private static async Task<JsonElement> ConsentAsync(HttpClient client, string name)
    {
        using HttpResponseMessage created = await client.PostAsync("/v1/audio/voice_consents",
            HttpJson.Form(("name", name), ("language", "en-US"), ("recording", Recordings.Wav(TimeSpan.FromSeconds(6)))));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        return await created.JsonAsync();
    }

    [Fact]
    public async Task ConsentsAreCreatedListedReadAndDeletedInOpenAisShapes()
    {
        (HttpClient client, _) = await AccountAsync("consents");
        JsonElement first = await ConsentAsync(client, "Jane Doe");
        Assert.StartsWith("cons_", first.GetProperty("id").GetString());
        Assert.Equal(("audio.voice_consent", "Jane Doe", "en-US"),
            (first.GetProperty("object").GetString(), first.GetProperty("name").GetString(), first.GetProperty("language").GetString()));
        JsonElement second = await ConsentAsync(client, "John Roe");

        JsonElement page = await (await client.GetAsync("/v1/audio/voice_consents?limit=1")).JsonAsync();
        Assert.Equal("list", page.GetProperty("object").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), Assert.Single(page.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        JsonElement next = await (await client.GetAsync($"/v1/audio/voice_consents?limit=1&after={page.GetProperty("last_id").GetString()}")).JsonAsync();
        Assert.Equal(second.GetProperty("id").GetString(), Assert.Single(next.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.False(next.GetProperty("has_more").GetBoolean());

        string id = first.GetProperty("id").GetString()!;
        Assert.Equal("Jane Doe", (await (await client.GetAsync($"/v1/audio/voice_consents/{id}")).JsonAsync()).GetProperty("name").GetString());
        using (HttpResponseMessage deleted = await client.DeleteAsync($"/v1/audio/voice_consents/{id}"))
        {
            Assert.True((await deleted.JsonAsync()).GetProperty("deleted").GetBoolean());
        }
        using HttpResponseMessage gone = await client.GetAsync($"/v1/audio/voice_consents/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("not_found", (await gone.ErrorAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ARecordingThatIsNotAudioIsRefusedAsAConsent()
    {
        (HttpClient client, _) = await AccountAsync("bad-consent");
        using HttpResponseMessage refused = await client.PostAsync("/v1/audio/voice_consents",
            HttpJson.Form(("name", "X"), ("language", "en-US"), ("recording", MiniMaxApi.Utf8(new string('x', 50_000)))));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonElement error = await refused.ErrorAsync();
        Assert.Equal("recording", error.GetProperty("param").GetString());
        Assert.Contains("cannot be decoded", error.GetProperty("message").GetString());
        using HttpResponseMessage missing = await client.PostAsync("/v1/audio/voice_consents", HttpJson.Form(("name", "X"), ("language", "en-US")));
        Assert.Equal("recording", (await missing.ErrorAsync()).GetProperty("param").GetString());
    }

    [Fact]
    public async Task AnotherAccountsConsentIsNotFound()
    {
        (HttpClient owner, _) = await AccountAsync("consent-owner");
        (HttpClient other, _) = await AccountAsync("consent-other");
        string id = (await ConsentAsync(owner, "Owner")).GetProperty("id").GetString()!;
        using (HttpResponseMessage get = await other.GetAsync($"/v1/audio/voice_consents/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }
        using (HttpResponseMessage delete = await other.DeleteAsync($"/v1/audio/voice_consents/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }
        using (HttpResponseMessage rename = await other.PostAsync($"/v1/audio/voice_consents/{id}", HttpJson.Body(new { name = "Mine now" })))
        {
            Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        }
        Assert.Equal("Owner", (await (await owner.GetAsync($"/v1/audio/voice_consents/{id}")).JsonAsync()).GetProperty("name").GetString());
        Assert.Empty((await (await other.GetAsync("/v1/audio/voice_consents")).JsonAsync()).GetProperty("data").EnumerateArray());
        // Nor can a voice be made with it.
        using HttpResponseMessage voice = await other.PostAsync("/v1/audio/voices",
            HttpJson.Form(("name", "Borrowed"), ("consent", id), ("audio_sample", Recordings.Wav(TimeSpan.FromSeconds(12)))));
        Assert.Equal(HttpStatusCode.BadRequest, voice.StatusCode);
        Assert.Equal("consent", (await voice.ErrorAsync()).GetProperty("param").GetString());
    }

    [Fact]
    public async Task CreatingAVoiceWithoutACloningModelIsRefusedNamingWhatToInstall()
    {
        (HttpClient client, _) = await AccountAsync("create-voice");
        string consent = (await ConsentAsync(client, "Speaker")).GetProperty("id").GetString()!;
        using HttpResponseMessage refused = await client.PostAsync("/v1/audio/voices",
            HttpJson.Form(("name", "My voice"), ("consent", consent), ("audio_sample", Recordings.Wav(TimeSpan.FromSeconds(12)))));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonElement error = await refused.ErrorAsync();
        Assert.Equal("voice_cloning_unavailable", error.GetProperty("code").GetString());
        Assert.Contains("voxgate models pull", error.GetProperty("message").GetString());
        Assert.Empty((await (await client.GetAsync("/v1/audio/voices")).JsonAsync()).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task TheOfficialSdkCreatesListsReadsAndDeletesConsentsAndGetsTheRefusalForAVoice()
    {
        (_, string key) = await AccountAsync("sdk");
        AudioClient audio = factory.OpenAiAudio(key);
        var noThrow = new RequestOptions { ErrorOptions = ClientErrorBehaviors.NoThrow };

        using MultipartFormDataContent consentForm = HttpJson.Form(("name", "SDK speaker"), ("language", "en-GB"), ("recording", Recordings.Wav(TimeSpan.FromSeconds(6))));
        (BinaryContent content, string contentType) = await AsBinaryAsync(consentForm);
        ClientResult created = await audio.CreateVoiceConsentAsync(content, contentType);
        JsonElement consent = JsonDocument.Parse(created.GetRawResponse().Content.ToString()).RootElement;
        string id = consent.GetProperty("id").GetString()!;
        Assert.Equal("en-GB", consent.GetProperty("language").GetString());

        ClientResult fetched = await audio.GetVoiceConsentAsync(id, null);
        Assert.Equal("SDK speaker", JsonDocument.Parse(fetched.GetRawResponse().Content.ToString()).RootElement.GetProperty("name").GetString());
        var listed = new List<string>();
        await foreach (ClientResult page in audio.GetVoiceConsentsAsync(null, 10, null).GetRawPagesAsync())
        {
            listed.AddRange(JsonDocument.Parse(page.GetRawResponse().Content.ToString()).RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        }
        Assert.Equal([id], listed);

        using MultipartFormDataContent voiceForm = HttpJson.Form(("name", "SDK voice"), ("consent", id), ("audio_sample", Recordings.Wav(TimeSpan.FromSeconds(12))));
        (BinaryContent voiceContent, string voiceType) = await AsBinaryAsync(voiceForm);
        ClientResult refused = await audio.CreateVoiceAsync(voiceContent, voiceType, noThrow);
        Assert.Equal(400, refused.GetRawResponse().Status);
        Assert.Contains("voice_cloning_unavailable", refused.GetRawResponse().Content.ToString());

        ClientResult renamed = await audio.UpdateVoiceConsentAsync(id, BinaryContent.Create(BinaryData.FromObjectAsJson(new { name = "Renamed speaker" })), null);
        Assert.Equal("Renamed speaker", JsonDocument.Parse(renamed.GetRawResponse().Content.ToString()).RootElement.GetProperty("name").GetString());
        await audio.DeleteVoiceConsentAsync(id, null);
        Assert.Equal(404, (await audio.GetVoiceConsentAsync(id, noThrow)).GetRawResponse().Status);
    }

    [Fact]
    public async Task TheServersOwnVoicesAreListedAtV1VoicesAndAudioVoicesIsTheCallersOwn()
    {
        (HttpClient client, _) = await AccountAsync("lists");
        JsonElement local = await (await client.GetAsync("/v1/voices?engine=flite")).JsonAsync();
        Assert.Contains(local.GetProperty("data").EnumerateArray(), v => v.GetProperty("id").GetString() == "flite:slt");
        JsonElement own = await (await client.GetAsync("/v1/audio/voices")).JsonAsync();
        Assert.Equal("list", own.GetProperty("object").GetString());
        Assert.Empty(own.GetProperty("data").EnumerateArray());
        using HttpResponseMessage missing = await client.GetAsync("/v1/audio/voices/voice_0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<(BinaryContent Content, string ContentType)> AsBinaryAsync(MultipartFormDataContent form) =>
        (BinaryContent.Create(BinaryData.FromBytes(await form.ReadAsByteArrayAsync())), form.Headers.ContentType!.ToString());
}
