using System.Text.Json;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Catalog;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// A pronunciation dictionary is the caller's own text: what its replacements add is billed, each replacement is
/// bounded, and the text with them applied is held to the surface's limit. Before, a ten-character text with a long
/// replacement was billed as ten characters however much was spoken.
/// </summary>
[Collection(SecondApiCollection.Name)]
public class PronunciationBillingTests(VoxgateFactory factory)
{
    /// <summary>Exactly 100 characters, the longest replacement allowed.</summary>
    private const string Replacement100 = "an open speech server that reads every word you send it aloud in a clear voice for all to hear today";

    /// <summary>Ten characters, one of them the original "VG" the dictionary replaces.</summary>
    private const string Text10 = "Read VG ok";

    private static object Body(string text, IEnumerable<string> tone) => new
    {
        model = "speech-02-hd",
        text,
        pronunciation_dict = new { tone = tone.ToArray() },
        voice_setting = new { voice_id = "flite:kal16" },
        audio_setting = new { format = "mp3", sample_rate = 16000 },
    };

    private async Task<(MiniMaxApi Api, long Balance)> AccountAsync(string name)
    {
        string key = await factory.CreateKeyAsync(name, "5.00");
        return (new MiniMaxApi(factory.CreateClient().WithKey(key)), (await factory.WalletAsync(name)).BalanceMicros);
    }

    /// <summary>Sends <paramref name="body"/> from a new account: 2013 naming pronunciation_dict and <paramref name="mentions"/>, nothing charged or held.</summary>
    private async Task<MiniMaxApi> AssertRefusedAsync(string account, object body, string mentions)
    {
        (MiniMaxApi api, long balance) = await AccountAsync(account);
        JsonElement answer = await api.PostAsync("t2a_v2", body);
        Assert.True(MiniMaxApi.StatusCode(answer) == 2013, answer.ToString());
        Assert.Contains("pronunciation_dict", MiniMaxApi.StatusMessage(answer));
        Assert.Contains(mentions, MiniMaxApi.StatusMessage(answer));
        Assert.Equal((balance, 0L), ((await factory.WalletAsync(account)).BalanceMicros, (await factory.WalletAsync(account)).HeldMicros));
        Assert.Empty(await factory.ChargesAsync(account));
        Assert.Empty(await factory.UsageRowsAsync(account));
        return api;
    }

    [Fact]
    public async Task AHundredCharacterReplacementIsBilledAsTheTextItAdds()
    {
        Assert.Equal((10, 100), (Text10.Length, Replacement100.Length));
        (MiniMaxApi api, long balance) = await AccountAsync("dict-billed");

        JsonElement answer = MiniMaxApi.Ok(await api.PostAsync("t2a_v2", Body(Text10, [$"VG/{Replacement100}"])));

        // The input's 10 characters, plus the 98 the replacement adds over "VG". Old code: 10.
        const int billed = 10 + 100 - 2;
        Assert.Equal(billed, answer.GetProperty("extra_info").GetProperty("usage_characters").GetInt32());
        long cost = Money.Cost(billed, factory.Service<ModelCatalog>().Find("speech-02-hd")!.PricePer1KCharactersMicros);
        Assert.Equal(10_800, cost); // $0.10 per 1K characters
        await Eventually.HoldsAsync(async () => (await factory.UsageRowsAsync("dict-billed")).Count == 1, "the request's usage row");
        UsageRecord usage = Assert.Single(await factory.UsageRowsAsync("dict-billed"));
        Assert.Equal((billed, cost, UsageStatus.Succeeded), (usage.Characters, usage.CostMicros, usage.Status));
        Assert.Equal(-cost, Assert.Single(await factory.ChargesAsync("dict-billed")).AmountMicros);
        Assert.Equal((balance - cost, 0L), ((await factory.WalletAsync("dict-billed")).BalanceMicros, (await factory.WalletAsync("dict-billed")).HeldMicros));

        // The replacement was spoken: over a hundred characters of speech, not ten.
        byte[] audio = Convert.FromHexString(answer.GetProperty("data").GetProperty("audio").GetString()!);
        ProbeResult probe = await AudioProbe.ProbeAsync(audio, "mp3");
        Assert.True(probe.DecodedDuration.TotalSeconds > 4, $"{probe.DecodedDuration.TotalSeconds:0.0} s is too short for the replacement");
        await factory.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task AReplacementOf101CharactersIsRefused() => // old code: any length was accepted
        await AssertRefusedAsync("dict-101", Body(Text10, [$"VG/{Replacement100}s"]), "100 characters");

    [Fact]
    public async Task ReplacementsThatPushTheTextOver9999CharactersAreRefused()
    {
        string text = string.Join(" ", Enumerable.Repeat("VG", 100)); // 299 characters, far under the limit
        // 299 + 100 × 98 = 10,099 characters once applied. Old code: accepted, and billed as 299.
        await AssertRefusedAsync("dict-over-limit", Body(text, [$"VG/{Replacement100}"]), "10099");
    }

    [Fact]
    public async Task MoreThan500EntriesAreRefused()
    {
        // Old code: any number of entries.
        MiniMaxApi api = await AssertRefusedAsync("dict-entries", Body(Text10, Enumerable.Range(0, 501).Select(i => $"word{i}/replacement{i}")), "500");

        // 500 is still accepted, and billed as the input (none of the originals occurs in it).
        JsonElement accepted = MiniMaxApi.Ok(await api.PostAsync("t2a_v2", Body(Text10, Enumerable.Range(0, 500).Select(i => $"word{i}/replacement{i}"))));
        Assert.Equal(10, accepted.GetProperty("extra_info").GetProperty("usage_characters").GetInt32());
    }
}
