using System.Text.Json;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Tests.EndToEnd;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Voices;

/// <summary>
/// Voices made at an upstream MiniMax provider, played by a second, real Voxgate process: the gateway relays
/// voice_design and voice_clone when the model routes there, records which account owns the provider's voice, speaks
/// with it through the provider, keeps it from other accounts, and deletes it there too.
/// </summary>
public class UpstreamVoiceTests(UpstreamPair pair) : IClassFixture<UpstreamPair>
{
    private const string Preview = "A relayed trial.";

    private async Task<(MiniMaxApi Api, long AccountId)> CustomerAsync(string name)
    {
        name += "-" + Guid.NewGuid().ToString("N")[..6];
        string key = await pair.Gateway.CreateKeyAsync(name, "1.00");
        return (new MiniMaxApi(pair.Gateway.CreateClientWithKey(key)), (await pair.Gateway.Service<AccountService>().GetAccountAsync(name)).Id);
    }

    private MiniMaxApi Provider()
    {
        var http = new HttpClient { BaseAddress = pair.Upstream.BaseAddress };
        return new MiniMaxApi(http.WithKey(pair.Upstream.ApiKey));
    }

    private static string[] Generated(JsonElement answer) =>
        [.. MiniMaxApi.Ok(answer).GetProperty("voice_generation").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()!)];

    [Fact]
    public async Task ADesignRelayedToTheProviderIsTheAccountsAloneAndChargedOnceHere()
    {
        (MiniMaxApi owner, long ownerId) = await CustomerAsync("relay-owner");
        (MiniMaxApi other, _) = await CustomerAsync("relay-other");
        long before = (await pair.Gateway.Service<IBillingStore>().GetWalletAsync(ownerId, DateTimeOffset.UtcNow)).BalanceMicros;

        JsonElement designed = MiniMaxApi.Ok(await owner.PostAsync("voice_design",
            new { prompt = "A deep, slow male voice", preview_text = Preview, voice_id = "RelayVoice01", model = "speech-02-hd" }));
        Assert.Equal("RelayVoice01", designed.GetProperty("voice_id").GetString());
        Assert.Equal("mp3", (await AudioProbe.ProbeAsync(Convert.FromHexString(designed.GetProperty("trial_audio").GetString()!), "mp3")).Codec);
        Assert.Equal(before - Money.Cost(Preview.Length, 100_000),
            (await pair.Gateway.Service<IBillingStore>().GetWalletAsync(ownerId, DateTimeOffset.UtcNow)).BalanceMicros);

        // The provider holds it under the owner's mark, in the operator's account there.
        string upstreamId = $"RelayVoice01-vg{ownerId:x}";
        Assert.Contains(upstreamId, Generated(await Provider().PostAsync("get_voice", new { voice_type = "voice_generation" })));
        Assert.Equal(["RelayVoice01"], Generated(await owner.PostAsync("get_voice", new { voice_type = "voice_generation" })));
        Assert.Empty(Generated(await other.PostAsync("get_voice", new { voice_type = "voice_generation" })));

        // Spoken through the provider, by its owner.
        JsonElement spoken = MiniMaxApi.Ok(await owner.PostAsync("t2a_v2", new
        {
            model = "speech-02-hd", text = "Through the provider.", voice_setting = new { voice_id = "RelayVoice01" }, audio_setting = new { format = "mp3" },
        }));
        Assert.True(spoken.GetProperty("data").GetProperty("audio").GetString()!.Length > 2000, spoken.ToString()[..Math.Min(600, spoken.ToString().Length)]);

        // Not by another account, under either name.
        JsonElement stolen = await other.PostAsync("t2a_v2", new { model = "speech-02-hd", text = "Not mine.", voice_setting = new { voice_id = upstreamId } });
        Assert.Equal(20132, MiniMaxApi.StatusCode(stolen));
        Assert.NotEqual(0, MiniMaxApi.StatusCode(await other.PostAsync("t2a_v2", new { model = "speech-02-hd", text = "Not mine.", voice_setting = new { voice_id = "RelayVoice01" } })));
        Assert.Equal(20132, MiniMaxApi.StatusCode(await other.PostAsync("delete_voice", new { voice_type = "voice_generation", voice_id = "RelayVoice01" })));

        // Deleted here, deleted there.
        MiniMaxApi.Ok(await owner.PostAsync("delete_voice", new { voice_type = "voice_generation", voice_id = "RelayVoice01" }));
        Assert.DoesNotContain(upstreamId, Generated(await Provider().PostAsync("get_voice", new { voice_type = "voice_generation" })));
        await pair.Gateway.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task ACloneRelayedToAProviderWithoutCloningGetsTheProvidersRefusalAndNothingIsCharged()
    {
        (MiniMaxApi owner, long ownerId) = await CustomerAsync("relay-clone");
        long fileId = MiniMaxApi.Ok(await owner.UploadAsync("voice.wav", Recordings.Wav(TimeSpan.FromSeconds(12)), "voice_clone")).GetProperty("file").GetProperty("file_id").GetInt64();
        long before = (await pair.Gateway.Service<IBillingStore>().GetWalletAsync(ownerId, DateTimeOffset.UtcNow)).BalanceMicros;
        JsonElement refused = await owner.PostAsync("voice_clone", new { file_id = fileId, voice_id = "RelayClone01", text = "A demo.", model = "speech-02-hd" });
        Assert.Equal(2038, MiniMaxApi.StatusCode(refused));
        Assert.Contains("minimax", MiniMaxApi.StatusMessage(refused));
        Assert.Equal(before, (await pair.Gateway.Service<IBillingStore>().GetWalletAsync(ownerId, DateTimeOffset.UtcNow)).BalanceMicros);
        Assert.Empty(MiniMaxApi.Ok(await owner.PostAsync("get_voice", new { voice_type = "voice_cloning" })).GetProperty("voice_cloning").EnumerateArray());
    }
}
