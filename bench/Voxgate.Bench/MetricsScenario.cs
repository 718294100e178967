using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Voxgate.Bench;

/// <summary>
/// What metrics and traces cost the HTTP speech path: two servers, both with authentication on (so both measure and
/// settle every request), one with <c>/metrics</c> and OTLP traces on and one with both off; the same requests
/// alternate between them and the medians are compared. The servers are processes of their own, not hosts in this
/// one: OpenTelemetry's providers subscribe to meters and activity sources by name across the whole process, so a
/// server with metrics off beside one with them on would be measured too. The traces go to a loopback port nothing listens
/// on, so spans are made and batched as in production while their export (off the request path, every 5 s) fails at
/// once; the metrics server is scraped every 100 requests, as Prometheus would be.
/// </summary>
public sealed class MetricsScenario(int runs, TextWriter report)
{
    private static readonly Dictionary<string, object> s_short = new()
    {
        ["model"] = "tts-1", ["voice"] = "flite:kal16", ["input"] = "Hi.", ["response_format"] = "pcm",
    };

    private static readonly Dictionary<string, object> s_sentence = new()
    {
        ["model"] = "tts-1", ["voice"] = "flite:kal16", ["input"] = "The quick brown fox jumps over the lazy dog near the river bank.", ["response_format"] = "mp3",
    };

    public async Task RunAsync()
    {
        string collector = $"http://127.0.0.1:{ClosedPort()}";
        await using ServerProcessHost offServer = await ServerProcessHost.StartAsync([new("Voxgate__Metrics__Enabled", "false")]);
        await using ServerProcessHost metricsServer = await ServerProcessHost.StartAsync([]);
        await using ServerProcessHost tracedServer = await ServerProcessHost.StartAsync([new("Voxgate__Tracing__OtlpEndpoint", collector)]);
        using HttpClient off = await ClientAsync(offServer);
        using HttpClient metrics = await ClientAsync(metricsServer);
        using HttpClient traced = await ClientAsync(tracedServer);
        foreach (HttpClient on in new[] { metrics, traced })
        {
            using HttpResponseMessage scrape = await on.GetAsync("metrics");
            scrape.EnsureSuccessStatusCode();
        }
        using (HttpResponseMessage none = await off.GetAsync("metrics"))
        {
            if (none.StatusCode != HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException("the server with metrics off still serves /metrics");
            }
        }

        int requests = runs * 100;
        report.WriteLine("### Metrics and traces on against off (HTTP speech path)");
        report.WriteLine();
        report.WriteLine(Invariant($"Three server processes with authentication on: one with metrics off (`Voxgate:Metrics:Enabled=false`), one with `/metrics` (the shipped setting), one with `/metrics` and OTLP traces of every request (to a port nothing listens on). {requests} requests of each kind to each, in rotation; each metrics server scraped every 15 s (Prometheus's default interval) while they run. Target: within 2%."));
        report.WriteLine();
        report.WriteLine("| request | off, median ms | metrics, median ms | metrics + traces, median ms | metrics / off | metrics + traces / off |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string name, Dictionary<string, object> body) in new[] { ("3 characters, pcm", s_short), ("64 characters, mp3", s_sentence) })
        {
            double[] medians = await CompareAsync([off, metrics, traced], body, requests);
            report.WriteLine(Invariant($"| {name} | {medians[0]:0.000} | {medians[1]:0.000} | {medians[2]:0.000} | {medians[1] / medians[0]:0.000} | {medians[2] / medians[0]:0.000} |"));
        }
        report.WriteLine();
    }

    private static async Task<HttpClient> ClientAsync(ServerProcessHost server)
    {
        string key = await server.CreateFundedKeyAsync("bench", "100000.00", concurrentRequests: 100);
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Prometheus's default scrape interval.</summary>
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(15);

    /// <summary>Median milliseconds per server; the first client's server has metrics off and is never scraped.</summary>
    private static async Task<double[]> CompareAsync(HttpClient[] servers, Dictionary<string, object> body, int requests)
    {
        for (int i = 0; i < 20; i++)
        {
            foreach (HttpClient server in servers)
            {
                await SendAsync(server, body);
            }
        }
        var times = servers.Select(_ => new List<double>(requests)).ToArray();
        long lastScrape = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < requests; i++)
        {
            for (int k = 0; k < servers.Length; k++)
            {
                int s = (i + k) % servers.Length; // rotate which goes first
                times[s].Add(await Measure.SecondsAsync(() => SendAsync(servers[s], body)));
            }
            if (System.Diagnostics.Stopwatch.GetElapsedTime(lastScrape) >= ScrapeInterval)
            {
                lastScrape = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (HttpClient scraped in servers.Skip(1))
                {
                    using HttpResponseMessage scrape = await scraped.GetAsync("metrics");
                    await scrape.Content.ReadAsByteArrayAsync();
                }
            }
        }
        return [.. times.Select(t => Measure.Median(t) * 1000)];
    }

    private static async Task SendAsync(HttpClient client, Dictionary<string, object> body)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("v1/audio/speech", body);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>A loopback port that was free a moment ago, and is closed again: connections to it are refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
