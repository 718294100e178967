using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>A server that runs one Flite synthesis at a time and queues none.</summary>
public sealed class SingleSlotFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Voxgate:Saturation:Engines:flite:MaxConcurrent", "1"),
        new("Voxgate:Saturation:Engines:flite:MaxQueued", "0"),
        new("Voxgate:Saturation:RetryAfterSeconds", "2"),
    ];
}

public class SaturationTests(SingleSlotFactory factory) : IClassFixture<SingleSlotFactory>
{
    [Fact]
    public async Task AFullQueueRefusesAtOnceWith503AndRetryAfterAndChargesNothing()
    {
        HttpClient client = factory.CreateClient();
        string longText = string.Concat(Enumerable.Repeat("This long request keeps the only Flite slot busy for a while. ", 60));
        var hold = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = HttpJson.Body(new { model = "tts-1", input = longText, voice = "flite:slt", response_format = "mp3" }),
        };
        using HttpResponseMessage holding = await client.SendAsync(hold, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, holding.StatusCode);

        HttpResponseMessage refused = await client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "flite:kal16" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        JsonElement error = await refused.ErrorAsync();
        Assert.Equal("service_unavailable", error.GetProperty("type").GetString());
        Assert.Equal("engine_saturated", error.GetProperty("code").GetString());
        Assert.Equal("2", refused.Headers.GetValues("Retry-After").Single());

        ClientResultException sdk = await Assert.ThrowsAsync<ClientResultException>(() =>
            factory.OpenAiAudio(factory.ApiKey).GenerateSpeechAsync("Hi.", GeneratedSpeechVoice.Alloy));
        Assert.Equal(503, sdk.Status);

        // eSpeak has its own queue: one busy engine does not refuse another's work.
        Assert.Equal(HttpStatusCode.OK, (await client.PostSpeechAsync(new { model = "espeak", input = "Hi.", voice = "espeak:en-us" })).StatusCode);

        holding.Dispose();
        HttpStatusCode after = HttpStatusCode.ServiceUnavailable;
        for (int attempt = 0; attempt < 100 && after == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            await Task.Delay(100);
            after = (await client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "flite:kal16" })).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, after);

        long account = factory.Service<AccountService>().GetAccount(VoxgateFactory.AccountName).Id;
        Assert.DoesNotContain(factory.Service<IUsageStore>().Recent(account, 500), r => r.Status == UsageStatus.Saturated);
        long saturated = factory.Service<UsageReports>().ByDay(account, 1).Refusals.Single(r => r.Status == UsageStatus.Saturated).Count;
        Assert.True(saturated >= 2, $"{saturated} refusals counted");
        Assert.Equal(0, factory.Service<IBillingStore>().GetWallet(account, DateTimeOffset.UtcNow).HeldMicros);
    }
}
