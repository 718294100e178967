using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Metrics;

/// <summary>
/// A real server with <c>Voxgate:Tracing:OtlpEndpoint</c> set, exporting over OTLP/HTTP (protobuf) to a collector
/// played by an <see cref="HttpListener"/> on loopback, which keeps every export it receives.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The collector is disposed in DisposeAsync, xunit's end of a fixture.")]
public sealed class TracingServer : ServerProcess, IAsyncLifetime
{
    private readonly LoopbackListener _collector;

    public TracingServer() => _collector = new LoopbackListener(ReceiveAsync);

    /// <summary>Each export received: its path, content type and body.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Exports { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Tracing__OtlpEndpoint", new Uri(_collector.BaseAddress, "v1/traces").ToString()),
        new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        new("OTEL_BSP_SCHEDULE_DELAY", "100"), // export batches every 100 ms rather than 5 s
    ];

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        Exports.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
        context.Response.StatusCode = 200;
        context.Response.Close();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _collector.Dispose();
    }
}

public sealed class TracingTests(TracingServer server) : IClassFixture<TracingServer>
{
    [Fact]
    public async Task WithAnEndpointConfiguredEveryRequestIsASpanSentOverOtlpAndScrapesAreNot()
    {
        using (HttpClient client = server.Client().WithKey(server.ApiKey))
        using (HttpResponseMessage speech = await client.PostSpeechAsync(new { model = "tts-1", input = "Trace me.", voice = "flite:kal16", response_format = "pcm" }))
        {
            Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        }
        using (HttpClient client = server.Client())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("metrics")).StatusCode);
            await client.GetAsync("healthz?signature=secret-looking-value");
        }
        // OTLP's protobuf carries strings as UTF-8 bytes: the span's route is found as it is written.
        await Eventually.HoldsAsync(() => server.Exports.Any(e => Contains(e.Body, "/v1/audio/speech")) && server.Exports.Any(e => Contains(e.Body, "/healthz")),
            "the requests' spans were exported");
        Assert.All(server.Exports, e => Assert.Equal(("/v1/traces", "application/x-protobuf"), (e.Path, e.ContentType)));
        Assert.DoesNotContain(server.Exports, e => Contains(e.Body, "/metrics"));
        Assert.DoesNotContain(server.Exports, e => Contains(e.Body, server.ApiKey));
        Assert.DoesNotContain(server.Exports, e => Contains(e.Body, "secret-looking-value"));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
