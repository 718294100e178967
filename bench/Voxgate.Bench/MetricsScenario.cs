using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Voxgate.Bench;

/// <summary>
/// What metrics and traces cost the HTTP speech path. Five server processes, all with authentication on (so all
/// measure and settle every request): two with metrics off (the baseline, and a control that shows how much two
/// identical processes differ), one with <c>/metrics</c> (the shipped setting), one with <c>/metrics</c> and OTLP traces
/// of every request to a collector that accepts them, and one whose traces go to a port nothing listens on. The same
/// requests rotate between them; each reports its median time and the processor time its process used per request.
/// The servers are processes of their own, not hosts in this one: OpenTelemetry subscribes to meters and activity
/// sources by name across a whole process, so a server with metrics off beside one with them on would be measured too.
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

    /// <summary>Prometheus's default scrape interval.</summary>
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(15);

    private sealed record Server(string Name, ServerProcessHost Process, HttpClient Client, bool Scraped);

    public async Task RunAsync()
    {
        using var collector = new OtlpSink();
        KeyValuePair<string, string>[] otlpHttp =
        [
            new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ];
        var settings = new (string Name, KeyValuePair<string, string>[] Environment, bool Scraped)[]
        {
            ("off", [new("Voxgate__Metrics__Enabled", "false")], false),
            ("off, a second process (control)", [new("Voxgate__Metrics__Enabled", "false")], false),
            ("`/metrics`", [], true),
            ("`/metrics` + traces to a collector", [new("Voxgate__Tracing__OtlpEndpoint", $"{collector.BaseAddress}v1/traces"), .. otlpHttp], true),
            ("`/metrics` + traces to nothing", [new("Voxgate__Tracing__OtlpEndpoint", $"http://127.0.0.1:{OtlpSink.ClosedPort()}/v1/traces"), .. otlpHttp], true),
        };
        var servers = new List<Server>();
        try
        {
            foreach ((string name, KeyValuePair<string, string>[] environment, bool scraped) in settings)
            {
                ServerProcessHost process = await ServerProcessHost.StartAsync(environment);
                servers.Add(new Server(name, process, await ClientAsync(process), scraped));
            }
            foreach (Server server in servers)
            {
                using HttpResponseMessage scrape = await server.Client.GetAsync("metrics");
                if ((scrape.StatusCode == HttpStatusCode.OK) != server.Scraped)
                {
                    throw new InvalidOperationException($"{server.Name}: /metrics answered {(int)scrape.StatusCode}");
                }
            }

            int requests = runs * 100;
            report.WriteLine("### Metrics and traces on against off (HTTP speech path)");
            report.WriteLine();
            report.WriteLine(Invariant($"Five server processes with authentication on: two with metrics off (`Voxgate:Metrics:Enabled=false`; the second shows how far two identical processes differ), one with `/metrics` (the shipped setting), one with `/metrics` and OTLP/HTTP traces of every request to a collector that accepts them (played by this process), one with its traces sent to a port nothing listens on. {requests} requests of each kind to each, in rotation, one at a time; each metrics server scraped every 15 s (Prometheus's default interval) while they run. Processor time is the server process's own (user + system, all threads, from `/proc/PID/stat`) over those requests. Target: within 2%."));
            report.WriteLine();
            report.WriteLine("| request | server | median ms | / off | server CPU ms per request | / off |");
            report.WriteLine("|---|---|---:|---:|---:|---:|");
            foreach ((string name, Dictionary<string, object> body) in new[] { ("3 characters, pcm", s_short), ("64 characters, mp3", s_sentence) })
            {
                (double[] medians, double[] processor) = await CompareAsync(servers, body, requests);
                for (int i = 0; i < servers.Count; i++)
                {
                    report.WriteLine(Invariant($"| {name} | {servers[i].Name} | {medians[i]:0.000} | {medians[i] / medians[0]:0.000} | {processor[i]:0.000} | {processor[i] / processor[0]:0.000} |"));
                }
            }
            report.WriteLine();
            report.WriteLine(Invariant($"The collector received {collector.Exports} exports ({collector.Bytes / 1024} KiB)."));
            report.WriteLine();
            report.WriteLine("What a scrape costs the server (a cost per scrape, not per request: at one scrape every 15 s it is spread over however many requests arrive in between):");
            report.WriteLine();
            report.WriteLine("| server | scrapes | server CPU ms per scrape | exposition bytes |");
            report.WriteLine("|---|---:|---:|---:|");
            foreach (Server server in servers.Where(s => s.Scraped))
            {
                (int scrapes, double processor, int bytes) = await ScrapeCostAsync(server);
                report.WriteLine(Invariant($"| {server.Name} | {scrapes} | {processor:0.00} | {bytes} |"));
            }
            report.WriteLine();
        }
        finally
        {
            foreach (Server server in servers)
            {
                server.Client.Dispose();
                await server.Process.DisposeAsync();
            }
        }
    }

    private static async Task<HttpClient> ClientAsync(ServerProcessHost server)
    {
        string key = await server.CreateFundedKeyAsync("bench", "100000.00", concurrentRequests: 100);
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Median milliseconds, and server processor milliseconds per request, for each server.</summary>
    private static async Task<(double[] Medians, double[] Processor)> CompareAsync(List<Server> servers, Dictionary<string, object> body, int requests)
    {
        // Long enough for tiered compilation to finish with the request path in every process (a method is
        // recompiled after 30 calls, in the background): a process still compiling is slower for a reason of its own.
        for (int i = 0; i < 200; i++)
        {
            foreach (Server server in servers)
            {
                await SendAsync(server.Client, body);
            }
        }
        var times = servers.Select(_ => new List<double>(requests)).ToArray();
        TimeSpan[] processorBefore = [.. servers.Select(s => s.Process.ProcessorTime)];
        long lastScrape = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < requests; i++)
        {
            for (int k = 0; k < servers.Count; k++)
            {
                int s = (i + k) % servers.Count; // rotate which goes first
                times[s].Add(await Measure.SecondsAsync(() => SendAsync(servers[s].Client, body)));
            }
            if (System.Diagnostics.Stopwatch.GetElapsedTime(lastScrape) >= ScrapeInterval)
            {
                lastScrape = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (Server scraped in servers.Where(s => s.Scraped))
                {
                    using HttpResponseMessage scrape = await scraped.Client.GetAsync("metrics");
                    await scrape.Content.ReadAsByteArrayAsync();
                }
            }
        }
        double[] processor = [.. servers.Select((s, i) => (s.Process.ProcessorTime - processorBefore[i]).TotalMilliseconds / requests)];
        return ([.. times.Select(t => Measure.Median(t) * 1000)], processor);
    }

    /// <summary>Server processor milliseconds per scrape over back-to-back scrapes, after a warm-up, and the exposition's size.</summary>
    private static async Task<(int Scrapes, double Processor, int Bytes)> ScrapeCostAsync(Server server)
    {
        const int scrapes = 200;
        int bytes = 0;
        for (int i = 0; i < 50; i++)
        {
            bytes = (await server.Client.GetByteArrayAsync("metrics")).Length;
        }
        TimeSpan before = server.Process.ProcessorTime;
        for (int i = 0; i < scrapes; i++)
        {
            await server.Client.GetByteArrayAsync("metrics");
        }
        return (scrapes, (server.Process.ProcessorTime - before).TotalMilliseconds / scrapes, bytes);
    }

    private static async Task SendAsync(HttpClient client, Dictionary<string, object> body)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("v1/audio/speech", body);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
