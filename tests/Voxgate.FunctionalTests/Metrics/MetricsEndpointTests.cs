using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Metrics;
using Voxgate.Gateway.Saturation;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Metrics;

/// <summary>The real server on port 0, scraped as Prometheus scrapes it.</summary>
public sealed class MetricsServer : ServerProcess;

public partial class MetricsEndpointTests(MetricsServer server) : IClassFixture<MetricsServer>
{
    private static readonly object s_speech = new { model = "tts-1", input = "Count this, please.", voice = "flite:kal16", response_format = "pcm" };

    [Fact]
    public async Task ScrapesParseStrictlyAndTheCountersMoveWithSpeechAndRefusals()
    {
        PrometheusText before = await ScrapeAsync();
        Assert.Equal("histogram", before.Types["http_server_request_duration_seconds"]);

        using (HttpClient client = server.Client().WithKey(server.ApiKey))
        using (HttpResponseMessage speech = await client.PostAsync("v1/audio/speech", HttpJson.Body(s_speech)))
        {
            Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
            await speech.Content.ReadAsByteArrayAsync();
        }
        string limited = await server.CreateFundedKeyAsync("metrics-limited", "1.00", requestsPerMinute: 1);
        using (HttpClient client = server.Client().WithKey(limited))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/audio/speech", HttpJson.Body(s_speech))).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("v1/audio/speech", HttpJson.Body(s_speech))).StatusCode);
        }

        PrometheusText after = null!;
        await Eventually.HoldsAsync(async () =>
        {
            after = await ScrapeAsync();
            return Moved(before, after, "voxgate_speech_requests_total", 2, ("status", "succeeded"));
        }, "the speech requests were measured");
        Assert.True(Moved(before, after, "voxgate_speech_time_to_first_byte_seconds_count", 2), "time to first byte");
        Assert.True(Moved(before, after, "voxgate_speech_duration_seconds_count", 2), "total time");
        Assert.True(Moved(before, after, "voxgate_engine_real_time_factor_count", 2, ("engine", "flite")), "real-time factor");
        Assert.True(Moved(before, after, "voxgate_speech_characters_total", 2 * 19, ("engine", "flite")), "characters");
        Assert.True(after.Sum("voxgate_speech_audio_seconds_total") > before.Sum("voxgate_speech_audio_seconds_total"), "audio seconds");
        Assert.True(Moved(before, after, "voxgate_refusals_total", 1, ("kind", "rate_limited")), "the refusal");
        // ASP.NET Core's request durations carry the route's template and the status.
        Assert.True(Moved(before, after, "http_server_request_duration_seconds_count", 2, ("http_route", "/v1/audio/speech"), ("http_response_status_code", "200")));
        Assert.True(Moved(before, after, "http_server_request_duration_seconds_count", 1, ("http_route", "/v1/audio/speech"), ("http_response_status_code", "429")));
        Assert.Equal(0, after.Sum("voxgate_engine_slots_in_use", ("engine", "flite")));
        Assert.True(after.Sum("voxgate_engine_slots_limit", ("engine", "flite")) >= 1);
        Assert.Contains("voxgate_tasks_queued", after.Names);
        Assert.Contains("voxgate_wallet_holds", after.Names);
    }

    [Fact]
    public async Task LabelValuesStayBoundedWhateverTheCallerSends()
    {
        using HttpClient client = server.Client().WithKey(server.ApiKey);
        using (HttpResponseMessage warm = await client.PostAsync("v1/audio/speech", HttpJson.Body(s_speech)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }
        await Eventually.HoldsAsync(async () => (await ScrapeAsync()).Sum("voxgate_speech_requests_total") > 0, "a request measured");
        PrometheusText before = await ScrapeAsync();

        const string unknownModel = "no-such-model-4711";
        using (HttpResponseMessage unknown = await client.PostAsync("v1/audio/speech",
            HttpJson.Body(new { model = unknownModel, input = "Hi.", voice = "flite:kal16" })))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (HttpResponseMessage strangePath = await client.GetAsync("v1/no/such/path/" + Guid.NewGuid().ToString("N")))
        {
            Assert.Equal(HttpStatusCode.NotFound, strangePath.StatusCode);
        }
        PrometheusText after = null!;
        await Eventually.HoldsAsync(async () =>
        {
            after = await ScrapeAsync();
            return Moved(before, after, "http_server_request_duration_seconds_count", 1, ("http_response_status_code", "404"));
        }, "the 404s were counted");

        string text = await ScrapeTextAsync();
        Assert.DoesNotContain(unknownModel, text);
        Assert.DoesNotContain("/v1/no/such/path", text);
        Assert.DoesNotContain(server.ApiKey, text);
        Assert.DoesNotContain("\"e2e\"", text); // the account's name
        Assert.Equal(LabelValues(before, "model"), LabelValues(after, "model"));
        Assert.Subset(LabelValues(before, "http_route"), LabelValues(after, "http_route"));
    }

    [Fact]
    public async Task OnlyALocalScraperOrAnAdminKeyMayRead()
    {
        using HttpClient client = server.Client();
        var forwarded = new HttpRequestMessage(HttpMethod.Get, "metrics");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9"); // through a proxy on this machine: someone else's request
        using HttpResponseMessage refused = await client.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("authentication_error", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());

        var speechKey = new HttpRequestMessage(HttpMethod.Get, "metrics");
        speechKey.Headers.Add("X-Forwarded-For", "203.0.113.9");
        speechKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(speechKey)).StatusCode);

        var admin = new HttpRequestMessage(HttpMethod.Get, "metrics");
        admin.Headers.Add("X-Forwarded-For", "203.0.113.9");
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AdminKey);
        using HttpResponseMessage allowed = await client.SendAsync(admin);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        PrometheusText.Parse(await allowed.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Every metric the Grafana dashboard queries is one the server exports: those with data after traffic are read
    /// from the scrape; those that appear only after rare events (a 503, a provider, an installed model) are named from
    /// the meters' instruments by the exporter's rule, which is checked first against every name the scrape has.
    /// </summary>
    [Fact]
    public async Task EveryMetricTheDashboardQueriesIsExported()
    {
        using (HttpClient client = server.Client().WithKey(server.ApiKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/audio/speech", HttpJson.Body(s_speech))).StatusCode);
        }
        PrometheusText scrape = null!;
        await Eventually.HoldsAsync(async () => (scrape = await ScrapeAsync()).Names.Contains("voxgate_speech_time_to_first_byte_seconds_bucket"), "a request measured");

        HashSet<string> declared = await DeclaredNamesAsync();
        HashSet<string> observedOfOurs = [.. scrape.Names.Where(n => n.StartsWith("voxgate_", StringComparison.Ordinal))];
        Assert.Subset(declared, observedOfOurs); // the naming rule holds for everything the scrape shows
        HashSet<string> exported = [.. scrape.Names, .. declared];

        using JsonDocument dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(ServerProcess.RepositoryRoot(), "deploy", "grafana", "voxgate-dashboard.json")));
        var queried = new List<string>();
        foreach (JsonElement panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            string[] names = [.. panel.GetProperty("targets").EnumerateArray()
                .SelectMany(t => MetricName().Matches(t.GetProperty("expr").GetString()!).Select(m => m.Value))];
            Assert.True(names.Length > 0, $"panel {panel.GetProperty("title")} queries no Voxgate metric");
            queried.AddRange(names);
        }
        Assert.All(queried, name => Assert.Contains(name, exported));
        Assert.Contains("voxgate_engine_saturated_total", queried);
        Assert.Contains("voxgate_upstream_errors_total", queried);
    }

    [Fact]
    public void TheParserRefusesWhatIsNotTheFormat()
    {
        PrometheusText good = PrometheusText.Parse("# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\\\"2\"} 3\n");
        Assert.Equal("1\"2", good.Samples.Single().Label("x"));
        foreach (string bad in new[]
        {
            "a_total 1", // no final line feed
            "a-b 1\n",
            "a{x=\"1\",x=\"2\"} 1\n",
            "a{x=1} 1\n",
            "a{x=\"1\"} one\n",
            "a 1\na 2\n",
            "a 1\n# TYPE a counter\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 0\n",
        })
        {
            Assert.Throws<FormatException>(() => PrometheusText.Parse(bad));
        }
    }

    private async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await ScrapeTextAsync());

    private async Task<string> ScrapeTextAsync()
    {
        using HttpClient client = server.Client();
        return await PrometheusText.ScrapeTextAsync(client);
    }

    private static bool Moved(PrometheusText before, PrometheusText after, string name, double atLeast, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels) >= atLeast;

    private static HashSet<string> LabelValues(PrometheusText scrape, string label) =>
        [.. scrape.Samples.Where(s => s.Labels.ContainsKey(label)).Select(s => s.Label(label))];

    /// <summary>
    /// The Prometheus names of the Voxgate meters' instruments, by the OpenTelemetry exporter's rule: dots become
    /// underscores, the unit "s" adds <c>_seconds</c> (an annotation in braces adds nothing), a counter adds
    /// <c>_total</c>, a histogram is its <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.
    /// </summary>
    private static async Task<HashSet<string>> DeclaredNamesAsync()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync(StoreProvider.Sqlite);
        await using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory factory = services.GetRequiredService<IMeterFactory>();
        using var gateway = new GatewayMetrics(factory, new EngineAdmission(Options.Create(new SaturationOptions())));
        _ = new StoreGauges(database.Database, gateway, TimeProvider.System);
        using var speech = new SpeechMetrics(factory);
        speech.ObserveModels(() => []);
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope != factory)
                {
                    return;
                }
                string name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
                switch (instrument)
                {
                    case Counter<long> or Counter<double>:
                        names.Add(name + "_total");
                        break;
                    case Histogram<double>:
                        names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
                        break;
                    default:
                        names.Add(name);
                        break;
                }
            },
        };
        listener.Start();
        return names;
    }

    [GeneratedRegex(@"\b(voxgate|http_server|kestrel|aspnetcore)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
