using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Saturation;
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
        // The only Flite turn, taken directly: a slow or unread stream no longer keeps an engine busy (it holds a turn
        // only while a segment is computed), so a long request cannot be relied on to saturate it.
        EngineAdmission admission = factory.Service<EngineAdmission>();
        IDisposable holding = (await admission.TryEnterAsync("flite", CancellationToken.None))!;
        Assert.NotNull(holding);

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

        long account = (await factory.Service<AccountService>().GetAccountAsync(VoxgateFactory.AccountName)).Id;
        Assert.DoesNotContain(await factory.Service<IUsageStore>().RecentAsync(account, 500), r => r.Status == UsageStatus.Saturated);
        long saturated = (await factory.Service<UsageReports>().ByDayAsync(account, 1)).Refusals.Single(r => r.Status == UsageStatus.Saturated).Count;
        Assert.True(saturated >= 2, $"{saturated} refusals counted");
        // The later request settles just after its body is sent.
        for (int attempt = 0; attempt < 300 && (await factory.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).HeldMicros != 0; attempt++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(0, (await factory.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).HeldMicros);
    }
}
