using System.Net;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Metrics;

/// <summary>A real request's measurements reach its usage row and the live figures, through the one place they are taken.</summary>
[Collection(ApiCollection.Name)]
public class RequestMeasurementTests(VoxgateFactory factory)
{
    [Fact]
    public async Task ASpeechRequestRecordsItsFirstByteAndItsAudioOnItsUsageRow()
    {
        string key = await factory.CreateKeyAsync("measured", "1.00");
        HttpResponseMessage response = await factory.CreateClientWithKey(key).PostAsync("/v1/audio/speech",
            HttpJson.Body(new { model = "tts-1", input = "Measure this sentence, please.", voice = "flite:kal16", response_format = "pcm" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] audio = await response.Content.ReadAsByteArrayAsync();

        IUsageStore usage = factory.Service<IUsageStore>();
        Account account = (await factory.Service<IAccountStore>().FindAccountAsync("measured"))!;
        await Eventually.HoldsAsync(async () => (await usage.RecentAsync(account.Id, 1)).Count == 1, "the request settled");
        UsageRecord row = (await usage.RecentAsync(account.Id, 1)).Single();
        Assert.Equal(UsageStatus.Succeeded, row.Status);
        Assert.InRange(row.FirstByteMs!.Value, 0, row.LatencyMs);
        // 16-bit mono PCM at 24 kHz (the OpenAI surface's pcm): the row's audio is what was sent.
        Assert.Equal(audio.Length / 2 / 24, row.AudioMs!.Value, tolerance: 1);

        ModelFigures figures = Assert.Single(await factory.Service<UsageReports>().ModelFiguresAsync(TimeSpan.FromDays(1)), f => f.Model == row.Model);
        Assert.True(figures.Succeeded >= 1);
        Assert.NotNull(figures.MedianFirstByteMs);
    }
}
