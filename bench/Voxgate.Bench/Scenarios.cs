using System.Globalization;
using System.Net.Http.Json;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Bench;

/// <summary>The four measurements of the foundation issue, each reported against a baseline from the same run.</summary>
public sealed class Scenarios(BenchHost host, int runs, TextWriter report)
{
    private static readonly string[] s_voices = ["flite:kal16", "flite:slt", "espeak:en-us"];

    private SpeechPlan Plan(string voice, string text, AudioFormat format) =>
        host.Get<SpeechPlanner>().Plan(new SpeechRequest { Model = "tts-1", Voice = voice, Input = text, Format = format });

    /// <summary>Engine + chain + encoder, in process, no HTTP.</summary>
    private async Task<SpeechSummary> PipelineAsync(SpeechPlan plan)
    {
        using var sink = new MemoryStream();
        return await SpeechStreamWriter.WriteAsync(host.Get<SpeechPipeline>().RunAsync(plan, CancellationToken.None), sink, null, CancellationToken.None);
    }

    /// <summary>The engine alone: every segment synthesised, the PCM dropped.</summary>
    private static async Task EngineOnlyAsync(SpeechPlan plan)
    {
        var local = (LocalSynthesis)plan.Route;
        foreach (var segment in plan.Text.Segments)
        {
            await foreach (PcmChunk _ in local.Engine.SynthesizeAsync(new EngineRequest(segment.Text, plan.Voice, local.EngineSpeed), CancellationToken.None))
            {
            }
        }
    }

    private async Task<long> HttpAsync(string voice, string text, AudioFormat format)
    {
        using HttpResponseMessage response = await host.Client.PostAsJsonAsync("v1/audio/speech",
            new Dictionary<string, object> { ["model"] = "tts-1", ["voice"] = voice, ["input"] = text, ["response_format"] = AudioFormats.Name(format) });
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        return total;
    }

    public async Task EnginesAndFormatsAsync()
    {
        string text = Texts.OfLength(1000);
        report.WriteLine("### Engines and formats (1000 characters, in process, no HTTP)");
        report.WriteLine();
        report.WriteLine("RTF = processing time / audio time (lower is faster); x RT is its inverse. \"vs engine\" is the time of engine + chain + encoder divided by the engine's own time in the same run.");
        report.WriteLine();
        report.WriteLine("| voice | format | audio s | median ms | RTF | x RT | chars/s | vs engine |");
        report.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (string voice in s_voices)
        {
            SpeechPlan enginePlan = Plan(voice, text, AudioFormat.Pcm);
            var formats = AudioFormats.All.ToArray();
            var plans = formats.Select(f => Plan(voice, text, f)).ToArray();
            SpeechSummary[] summaries = await Task.WhenAll(plans.Select(p => PipelineAsync(p)));
            double[] medians = await Measure.InterleavedMediansAsync(runs,
                [() => EngineOnlyAsync(enginePlan), .. plans.Select(p => (Func<Task>)(() => PipelineAsync(p)))]);
            double audio = summaries[0].AudioDuration.TotalSeconds;
            Row(voice, "engine only", audio, medians[0], text.Length, 1);
            for (int i = 0; i < formats.Length; i++)
            {
                Row(voice, AudioFormats.Name(formats[i]), summaries[i].AudioDuration.TotalSeconds, medians[i + 1], text.Length, medians[i + 1] / medians[0]);
            }
        }
        report.WriteLine();
    }

    public async Task ServerOverheadAsync()
    {
        string text = Texts.OfLength(1000);
        report.WriteLine("### HTTP path against engine + encoder (1000 characters, mp3)");
        report.WriteLine();
        report.WriteLine("Both sides synthesise the same request; the HTTP side is a real loopback request through Kestrel, the endpoint, the JSON parsing, the planner and the response streaming, read to the end by an HttpClient. Target: within 10%.");
        report.WriteLine();
        report.WriteLine("| voice | engine + encoder ms | HTTP ms | HTTP / direct |");
        report.WriteLine("|---|---:|---:|---:|");
        foreach (string voice in s_voices)
        {
            double[] m = await Measure.InterleavedMediansAsync(runs * 3,
                () => PipelineAsync(Plan(voice, text, AudioFormat.Mp3)),
                () => HttpAsync(voice, text, AudioFormat.Mp3));
            report.WriteLine(Invariant($"| {voice} | {m[0] * 1000:0.0} | {m[1] * 1000:0.0} | {m[1] / m[0]:0.000} |"));
        }
        report.WriteLine();
    }

    /// <summary>Every embedded voice: Flite's five and eSpeak NG's English ones.</summary>
    private static readonly string[] s_embeddedVoices = ["flite:kal16", "flite:kal", "flite:slt", "flite:rms", "flite:awb", "espeak:en-us", "espeak:en"];

    /// <param name="whole">A server in this process with the first segment neither cut nor sent as it is made: the baseline.</param>
    /// <param name="cutOnly">A server in this process with the first segment cut but sent once its engine is done with it.</param>
    public async Task TimeToFirstByteAsync(BenchHost whole, BenchHost cutOnly)
    {
        string text = Texts.OfLength(3000);
        report.WriteLine("### Time to first byte, streamed 3000-character request (mp3, HTTP)");
        report.WriteLine();
        report.WriteLine("From sending the request to the first audio bytes read by the client; the whole response is read each time. " +
            "*Whole* is a server with `Voxgate:Streaming:FirstSegmentCut=false` and `FirstSegmentIncremental=false` (the first sentence, " +
            "117 characters, synthesised whole before any of it is sent), *cut* one with `FirstSegmentIncremental=false` (the first segment " +
            "cut at its first clause boundary within three words, else after three: \"The old lighthouse\", sent once synthesised), " +
            "*shipped* the shipped settings (cut, and sent while the engine makes it); all three in this process, requests in rotation. " +
            "Targets: under 50 ms on flite:kal16; under 30 ms on every embedded voice.");
        report.WriteLine();
        report.WriteLine("| voice | first byte ms, whole | first byte ms, cut | first byte ms, shipped | shipped / whole | shipped / cut | complete ms, whole | complete ms, shipped |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        BenchHost[] hosts = [whole, cutOnly, host];
        foreach (string voice in s_embeddedVoices)
        {
            var first = hosts.Select(_ => new List<double>()).ToArray();
            var complete = hosts.Select(_ => new List<double>()).ToArray();
            for (int i = 0; i <= runs * 3; i++)
            {
                for (int k = 0; k < hosts.Length; k++)
                {
                    int h = (i + k) % hosts.Length; // rotate which goes first
                    (double f, double c) = await FirstByteAsync(hosts[h], voice, text);
                    if (i > 0)
                    {
                        first[h].Add(f);
                        complete[h].Add(c);
                    }
                }
            }
            double fw = Measure.Median(first[0]), fc = Measure.Median(first[1]), fs = Measure.Median(first[2]);
            report.WriteLine(Invariant($"| {voice} | {fw * 1000:0.0} | {fc * 1000:0.0} | {fs * 1000:0.0} | {fs / fw:0.00} | {fs / fc:0.00} | {Measure.Median(complete[0]) * 1000:0.0} | {Measure.Median(complete[2]) * 1000:0.0} |"));
        }
        report.WriteLine();
    }

    private static async Task<(double First, double Complete)> FirstByteAsync(BenchHost host, string voice, string text)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["model"] = "tts-1", ["voice"] = voice, ["input"] = text, ["response_format"] = "mp3" }),
        };
        using HttpResponseMessage response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[64 * 1024];
        await body.ReadExactlyAsync(buffer.AsMemory(0, 1));
        double first = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        while (await body.ReadAsync(buffer) > 0)
        {
        }
        return (first, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    public async Task ConcurrencyAsync()
    {
        string text = Texts.OfLength(1000);
        int requests = Math.Max(6, runs * 2);
        report.WriteLine(Invariant($"### Throughput of two concurrent clients against one ({Environment.ProcessorCount} cores, 1000-character mp3 requests over HTTP)"));
        report.WriteLine();
        report.WriteLine(Invariant($"One client sends {requests} requests one after another; then two clients each send {requests} at the same time. Target: at least 1.6x."));
        report.WriteLine();
        report.WriteLine("| voice | 1 client req/s | 2 clients req/s | speed-up |");
        report.WriteLine("|---|---:|---:|---:|");
        foreach (string voice in s_voices)
        {
            async Task Client()
            {
                for (int i = 0; i < requests; i++)
                {
                    await HttpAsync(voice, text, AudioFormat.Mp3);
                }
            }
            await Client(); // warm-up
            var single = new List<double>();
            var pair = new List<double>();
            for (int round = 0; round < 3; round++)
            {
                single.Add(requests / await Measure.SecondsAsync(Client));
                pair.Add(2 * requests / await Measure.SecondsAsync(() => Task.WhenAll(Task.Run(Client), Task.Run(Client))));
            }
            double one = Measure.Median(single), two = Measure.Median(pair);
            report.WriteLine(Invariant($"| {voice} | {one:0.00} | {two:0.00} | {two / one:0.00}x |"));
        }
        report.WriteLine();
    }

    private void Row(string voice, string format, double audioSeconds, double seconds, int characters, double vsEngine) =>
        report.WriteLine(Invariant(
            $"| {voice} | {format} | {audioSeconds:0.0} | {seconds * 1000:0.0} | {seconds / audioSeconds:0.00000} | {audioSeconds / seconds:0} | {characters / seconds:0} | {vsEngine:0.00} |"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
