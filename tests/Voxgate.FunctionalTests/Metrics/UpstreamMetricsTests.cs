using System.Net;
using Voxgate.Tests.EndToEnd;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Metrics;

/// <summary>
/// A provider's time and failures, per provider, on the gateway of <see cref="UpstreamPair"/> (in process, so scraped
/// with an admin key: its requests come from no loopback address). Other in-process servers of the test run feed the
/// same meters' names, so the counts are checked to have moved by at least what this test did.
/// </summary>
public sealed class UpstreamMetricsTests(UpstreamPair pair) : IClassFixture<UpstreamPair>
{
    [Fact]
    public async Task AProvidersTimeAndItsFailuresAreCountedPerProvider()
    {
        PrometheusText before = await ScrapeAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await pair.Gateway.CreateClientWithKey(null).GetAsync("/metrics")).StatusCode);
        string key = await pair.Gateway.CreateKeyAsync("metrics-relay", "1.00");
        HttpClient client = pair.Gateway.CreateClient().WithKey(key);
        using (HttpResponseMessage relayed = await client.PostSpeechAsync(new { model = "relay/tts", input = "Relayed.", voice = "alloy", response_format = "wav" }))
        {
            Assert.Equal(HttpStatusCode.OK, relayed.StatusCode);
            await relayed.Content.ReadAsByteArrayAsync();
        }
        using (HttpResponseMessage down = await client.PostSpeechAsync(new { model = "relay/down", input = "Hello.", voice = "alloy" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        PrometheusText after = null!;
        await Eventually.HoldsAsync(async () =>
        {
            after = await ScrapeAsync();
            return after.Sum("voxgate_upstream_errors_total", ("provider", "down")) >= before.Sum("voxgate_upstream_errors_total", ("provider", "down")) + 1;
        }, "the unreachable provider's failure was counted");
        Assert.True(after.Sum("voxgate_upstream_duration_seconds_count", ("provider", "openai"))
            >= before.Sum("voxgate_upstream_duration_seconds_count", ("provider", "openai")) + 1);
        Assert.True(after.Sum("voxgate_speech_requests_total", ("model", "relay/tts"), ("engine", "upstream:openai"), ("status", "succeeded")) >= 1);
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        HttpClient admin = pair.Gateway.CreateClientWithKey(VoxgateFactory.AdminKey);
        using HttpResponseMessage response = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync(), sharedProcess: true);
    }
}
