using System.Net;
using Voxgate.Gateway.Metrics;
using Voxgate.Tests.EndToEnd;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Metrics;

/// <summary>
/// A provider's time and failures, per provider, on the gateway of <see cref="UpstreamPair"/>. It runs in this process
/// beside other in-process servers, which share its meters' names (and a host disposed elsewhere ends the series the
/// OpenTelemetry exporter shares between them), so the measurements are read from the gateway's own meter; that
/// they reach <c>/metrics</c> is <see cref="MetricsEndpointTests"/>'s to show, on a server alone in its process.
/// </summary>
public sealed class UpstreamMetricsTests(UpstreamPair pair) : IClassFixture<UpstreamPair>
{
    [Fact]
    public async Task AProvidersTimeAndItsFailuresAreCountedPerProvider()
    {
        // Scraped from elsewhere than this machine's loopback, /metrics wants an admin key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await pair.Gateway.CreateClientWithKey(null).GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pair.Gateway.CreateClientWithKey(VoxgateFactory.AdminKey).GetAsync("/metrics")).StatusCode);
        using var recorder = new MeterRecorder(pair.Gateway.Service<GatewayMetrics>().Meter);
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

        // A request is measured when it is settled, which may come just after its response.
        await Eventually.HoldsAsync(() => recorder.Sum("voxgate.upstream.errors", ("provider", "down")) >= 1
            && recorder.Sum("voxgate.speech.requests", ("model", "relay/tts"), ("engine", "upstream:openai"), ("status", "succeeded")) >= 1,
            "both requests were measured");
        Assert.Equal(1, recorder.Sum("voxgate.upstream.errors", ("provider", "down")));
        Assert.Equal(0, recorder.Sum("voxgate.upstream.errors", ("provider", "openai")));
        Assert.Equal(1, recorder.Count("voxgate.upstream.duration", ("provider", "openai")));
    }
}
