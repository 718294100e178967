using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

public class SynthesisFailureTests(BrokenOpusFactory factory) : IClassFixture<BrokenOpusFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task AFailureBeforeTheFirstByteIsACleanServerErrorAndOtherRequestsStillWork()
    {
        HttpResponseMessage failed = await _client.PostSpeechAsync(new { model = "tts-1", input = "Hello.", voice = "alloy", response_format = "opus" });
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        JsonElement error = await failed.ErrorAsync();
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("synthesis_failed", error.GetProperty("code").GetString());
        Assert.Contains(failed.Headers.GetValues("x-request-id").Single(), error.GetProperty("message").GetString());
        Assert.False(failed.Headers.Contains("x-voxgate-voice"), "speech headers leaked into the error");

        HttpResponseMessage events = await _client.PostSpeechAsync(new { model = "tts-1", input = "Hello.", voice = "alloy", response_format = "opus", stream_format = "sse" });
        Assert.Equal(HttpStatusCode.InternalServerError, events.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _client.PostSpeechAsync(new { model = "tts-1", input = "Hello.", voice = "alloy", response_format = "mp3" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task TheSdkSurfacesTheServerErrorAndNothingIsCharged()
    {
        long account = (await factory.Service<AccountService>().GetAccountAsync(VoxgateFactory.AccountName)).Id;
        long before = (await factory.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).BalanceMicros;
        ClientResultException failed = await Assert.ThrowsAsync<ClientResultException>(() => factory.OpenAiAudio(factory.ApiKey)
            .GenerateSpeechAsync("Hello.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Opus }));
        Assert.Equal(500, failed.Status);
        Assert.Contains("server_error", failed.Message);
        Assert.Equal(before, (await factory.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).BalanceMicros);
        Assert.Contains(await factory.Service<IUsageStore>().RecentAsync(account, 20), r => r.Status == UsageStatus.Failed && r.CostMicros == 0);
    }

    [Fact]
    public async Task OnTheMiniMaxSurfaceAFailureIs1000AndAFailingTaskEndsFailedWithItsHoldReleased()
    {
        string key = await factory.CreateKeyAsync("minimax-failures", "5.00");
        var api = new MiniMaxApi(factory.CreateClientWithKey(key));
        long account = (await factory.Service<AccountService>().GetAccountAsync("minimax-failures")).Id;
        long before = (await factory.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).AvailableMicros;
        object Body(bool stream) => new { model = "tts-1", text = "Hello.", stream, voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "opus" } };

        foreach (bool stream in new[] { false, true })
        {
            JsonElement failed = await api.PostAsync("t2a_v2", Body(stream));
            Assert.Equal(1000, MiniMaxApi.StatusCode(failed));
            Assert.Contains("nothing was charged", MiniMaxApi.StatusMessage(failed));
        }

        JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", new
        {
            model = "tts-1", text = "A task whose encoder cannot start.", voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "opus" },
        }));
        JsonElement task = await api.WaitForTaskAsync(created.GetProperty("task_id").GetInt64(), TimeSpan.FromMinutes(1));
        Assert.Equal("Failed", task.GetProperty("status").GetString());
        Assert.Contains("opus", task.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await factory.Service<IBillingStore>().GetWalletAsync(account, DateTimeOffset.UtcNow)).AvailableMicros);
        Assert.DoesNotContain(await factory.Service<IBillingStore>().GetLedgerAsync(account, 100), l => l.Kind == "charge");
    }
}
