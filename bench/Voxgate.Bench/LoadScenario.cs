using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Voxgate.Bench;

/// <summary>
/// Short requests from 100 concurrent clients for a fixed time against a fresh server process as shipped, three ways:
/// alone (the baseline); with 4 slow readers that take long WAV streams at 1 KB/s, reconnecting whenever they are
/// dropped; and with those plus two clients that send the cheap-audio attacks in a loop (fifty 99.99 s pause markers,
/// a pronunciation dictionary that turns a word into a hundred characters). Clients wait the Retry-After a 503 or 429
/// asks for, as SDKs do. Reports successful requests per second (and against the baseline), p99 latency of the
/// successful ones, the share of 503s, and the server's resident memory before, at its peak and after.
/// </summary>
public sealed class LoadScenario(TimeSpan duration, int rounds, TextWriter report)
{
    private const int Clients = 100;
    private const int SlowReaders = 4;

    /// <summary>Load before the measured time, so the JIT and the engines are warm when it starts.</summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(5);

    private sealed record LoadRun(string Name, int Succeeded, int Saturated, int Other, double P99Ms, long BeforeBytes, long PeakBytes, long AfterBytes, int SlowReadersDropped)
    {
        public double PerSecond(TimeSpan duration) => Succeeded / duration.TotalSeconds;
    }

    public async Task RunAsync()
    {
        (string Name, int SlowReaders, bool Attackers)[] setups =
        [
            ("100 clients", 0, false),
            ("100 clients + 4 slow readers", SlowReaders, false),
            ("100 clients + 4 slow readers + pause and dictionary attacks", SlowReaders, true),
        ];
        var all = new List<LoadRun>();
        for (int round = 0; round < rounds; round++)
        {
            // Rotate the order each round, so a slow phase of the machine does not always hit the same setup.
            for (int i = 0; i < setups.Length; i++)
            {
                (string name, int slowReaders, bool attackers) = setups[(i + round) % setups.Length];
                all.Add(await RunOnceAsync(name, slowReaders, attackers));
            }
        }
        List<LoadRun> runs = [.. setups.Select(setup => Median(all.Where(r => r.Name == setup.Name).ToList()))];
        double baseline = runs[0].PerSecond(duration);
        report.WriteLine($"### Load with slow readers ({Clients} clients, {duration.TotalSeconds:0} s per run, {rounds} round(s), medians)");
        report.WriteLine();
        report.WriteLine(Invariant($"A fresh `voxgate serve` process per run, shipped settings (engine turns: one per core, 32 new requests queued; readers below half real time dropped after a 10 s grace). {Clients} clients loop on 40-character tts-1 requests (flite:kal16, mp3), honouring Retry-After on 503 and 429; {s_warmUp.TotalSeconds:0} s of load before the measured {duration.TotalSeconds:0} s. Slow readers ask for 4,000 characters of 48 kHz stereo WAV and read 1 KB a second (the server drops them; they learn it only once they have read what their socket buffers hold, so they rarely reconnect within a run). Memory: the server's resident set before the load, its peak (VmHWM), and 5 s after. Targets: with slow readers at least 0.9x the baseline's successful requests per second; peak resident memory under 400 MB."));
        report.WriteLine();
        report.WriteLine("| run | successful req/s | vs baseline | p99 ms (successful) | 503 share | other refusals | RSS before MiB | peak MiB | after MiB | slow readers dropped |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (LoadRun run in runs)
        {
            int total = run.Succeeded + run.Saturated + run.Other;
            report.WriteLine(Invariant(
                $"| {run.Name} | {run.PerSecond(duration):0.0} | {run.PerSecond(duration) / baseline:0.00}x | {run.P99Ms:0} | {100.0 * run.Saturated / Math.Max(1, total):0.0}% | {run.Other} | {run.BeforeBytes / 1048576.0:0} | {run.PeakBytes / 1048576.0:0} | {run.AfterBytes / 1048576.0:0} | {run.SlowReadersDropped} |"));
        }
        report.WriteLine();
    }

    /// <summary>Each figure's median over the rounds of one setup.</summary>
    private static LoadRun Median(List<LoadRun> runs) => new(runs[0].Name,
        (int)Measure.Median(runs.Select(r => (double)r.Succeeded)), (int)Measure.Median(runs.Select(r => (double)r.Saturated)),
        (int)Measure.Median(runs.Select(r => (double)r.Other)), Measure.Median(runs.Select(r => r.P99Ms)),
        (long)Measure.Median(runs.Select(r => (double)r.BeforeBytes)), (long)Measure.Median(runs.Select(r => (double)r.PeakBytes)),
        (long)Measure.Median(runs.Select(r => (double)r.AfterBytes)), (int)Measure.Median(runs.Select(r => (double)r.SlowReadersDropped)));

    private async Task<LoadRun> RunOnceAsync(string name, int slowReaders, bool attackers)
    {
        Console.Error.WriteLine($"  load: {name}");
        await using ServerProcessHost server = await ServerProcessHost.StartAsync([]);
        // Every client is one account's, with room for all of them in flight: the engines are what is measured.
        string key = await server.CreateFundedKeyAsync("load", "100000", concurrentRequests: 1000);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        await ShortRequestAsync(http, 0, CancellationToken.None); // warm-up: JIT, engines, encoder
        await Task.Delay(TimeSpan.FromSeconds(2));
        long before = server.ResidentBytes;

        using var stop = new CancellationTokenSource(s_warmUp + duration);
        var clock = Stopwatch.StartNew();
        bool Measured(TimeSpan startedAt) => startedAt >= s_warmUp;
        var latencies = new List<double>();
        int saturated = 0, other = 0;
        var work = new List<Task>();
        for (int c = 0; c < Clients; c++)
        {
            int client = c;
            work.Add(Task.Run(async () =>
            {
                for (int n = 0; !stop.IsCancellationRequested; n++)
                {
                    TimeSpan startedAt = clock.Elapsed;
                    (HttpStatusCode status, double ms, TimeSpan? retry) = await ShortRequestAsync(http, client * 100_000 + n, stop.Token);
                    if (status == HttpStatusCode.RequestTimeout)
                    {
                        break;
                    }
                    if (status == HttpStatusCode.OK)
                    {
                        if (Measured(startedAt))
                        {
                            lock (latencies)
                            {
                                latencies.Add(ms);
                            }
                        }
                        continue;
                    }
                    if (Measured(startedAt))
                    {
                        Interlocked.Increment(ref status == HttpStatusCode.ServiceUnavailable ? ref saturated : ref other);
                    }
                    await Pause(retry ?? TimeSpan.FromSeconds(1), stop.Token);
                }
            }));
        }
        for (int s = 0; s < slowReaders; s++)
        {
            int reader = s;
            work.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await SlowReadAsync(http, reader, stop.Token);
                }
            }));
        }
        if (attackers)
        {
            work.Add(Task.Run(() => AttackAsync(http, pauses: true, stop.Token)));
            work.Add(Task.Run(() => AttackAsync(http, pauses: false, stop.Token)));
        }
        await Task.WhenAll(work);
        long peak = server.PeakResidentBytes;
        await Task.Delay(TimeSpan.FromSeconds(5));
        long after = server.ResidentBytes;
        double p99 = latencies.Count == 0 ? 0 : latencies.Order().ElementAt((int)Math.Min(latencies.Count - 1, Math.Ceiling(latencies.Count * 0.99) - 1));
        // The server drops a stalled reader at once; the reader learns it only when it has read what its socket holds.
        return new LoadRun(name, latencies.Count, saturated, other, p99, before, peak, after, server.LogLines("took audio too slowly"));
    }

    private static async Task<(HttpStatusCode Status, double Milliseconds, TimeSpan? RetryAfter)> ShortRequestAsync(HttpClient http, int n, CancellationToken stop)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await http.PostAsJsonAsync("v1/audio/speech",
                new { model = "tts-1", input = $"Short request {n}, spoken at once.", voice = "flite:kal16", response_format = "mp3" }, stop);
            await response.Content.ReadAsByteArrayAsync(stop);
            return (response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.Headers.RetryAfter?.Delta);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return (HttpStatusCode.RequestTimeout, 0, TimeSpan.Zero); // the run ended mid-request: not counted
        }
    }

    /// <summary>Reads a long stream at 1 KB a second until the server drops it, or the run ends.</summary>
    private static async Task SlowReadAsync(HttpClient http, int reader, CancellationToken stop)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
            {
                Content = JsonContent.Create(new
                {
                    model = "tts-1", input = Texts.OfLength(4000), voice = "flite:slt", response_format = "wav", sample_rate = 48000, channels = 2,
                }),
            };
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await Pause(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop);
                return;
            }
            await using Stream body = await response.Content.ReadAsStreamAsync(stop);
            byte[] buffer = new byte[1024];
            while (await body.ReadAsync(buffer, stop) > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // dropped by the server for reading too slowly, or the run ended
        }
    }

    /// <summary>Sends one kind of cheap-audio attack in a loop: refused before synthesis, or billed for what it speaks.</summary>
    private static async Task AttackAsync(HttpClient http, bool pauses, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                object body = pauses
                    ? new { model = "speech-02-hd", text = string.Concat(Enumerable.Repeat("Wait <#99.99#> ", 50)), voice_setting = new { voice_id = "flite:kal16" } }
                    : new
                    {
                        model = "speech-02-hd", text = "Say WORD.", voice_setting = new { voice_id = "flite:kal16" },
                        pronunciation_dict = new { tone = new[] { "WORD/" + string.Join(' ', Enumerable.Repeat("again", 16)) } },
                    };
                using HttpResponseMessage response = await http.PostAsJsonAsync("minimax/v1/t2a_v2", body, stop);
                JsonElement answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop)).RootElement;
                int code = answer.GetProperty("base_resp").GetProperty("status_code").GetInt32();
                if (code is not (0 or 2013 or 1041))
                {
                    throw new InvalidOperationException($"an attack was answered {answer.GetProperty("base_resp")}");
                }
                if (code == 1041)
                {
                    await Pause(TimeSpan.FromSeconds(1), stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task Pause(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // the run ended
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
