using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.Speech.Native;
using Voxgate.Tests.Support;

namespace Voxgate.Bench;

/// <summary>
/// sherpa-onnx from C# (Voxgate's binding and engine, as the server runs it) against the official Node binding
/// (npm <c>sherpa-onnx-node</c>, the same native library) on the same model, text and thread count, in one run. The
/// models are the tiny test models (no neural weights can be downloaded here), so the figures measure the bindings
/// and the front end (eSpeak phonemisation, tokens, ONNX Runtime calls) rather than a network's arithmetic. With
/// <c>VOXGATE_BENCH_MODELS</c> naming a data directory of installed real models, those are measured too, with their
/// real-time factor.
/// </summary>
public sealed class SherpaScenario(int runs, TextWriter report)
{
    private const int CallsPerRound = 20;
    private static readonly string NodeModule = FindNodeModule();

    private sealed record Case(string Label, InstalledModel Model, string Text);

    public async Task RunAsync()
    {
        string scratch = Directory.CreateTempSubdirectory("voxgate-bench-sherpa-").FullName;
        try
        {
            // The server reads VOXGATE_SHERPA_DIR through its configuration; the benchmark has none, so it reads it here.
            var options = new ModelOptions
            {
                Directory = Path.Combine(scratch, "models"),
                MaxConcurrentPerModel = 1,
                ThreadsPerGeneration = 1,
                LibraryDirectory = Environment.GetEnvironmentVariable("VOXGATE_SHERPA_DIR"),
            };
            var store = new ModelStore(Options.Create(options));
            InstalledModel kokoro = Install(store, OnnxModelWriter.Kokoro(["af_a", "af_b"]), OnnxModelWriter.KokoroVoices([0.2f, 0.4f]), "kokoro-tiny");
            InstalledModel piper = Install(store, OnnxModelWriter.Piper(), null, "piper-tiny");
            string sentence = "The quick brown fox jumps over the lazy dog.";
            string prose = Texts.OfLength(1000);
            List<Case> cases =
            [
                new("Kokoro-shaped test model, one sentence", kokoro, sentence),
                new("Kokoro-shaped test model, 1000 characters", kokoro, prose),
                new("Piper-shaped test model, one sentence", piper, sentence),
                new("Piper-shaped test model, 1000 characters", piper, prose),
            ];
            if (Environment.GetEnvironmentVariable("VOXGATE_BENCH_MODELS") is { Length: > 0 } real)
            {
                var realStore = new ModelStore(Options.Create(new ModelOptions { Directory = Path.Combine(real, "models") }));
                cases.AddRange(realStore.List().Where(m => m.Health != ModelHealth.Broken).Select(m => new Case(m.Manifest.Id, m, prose)));
            }

            report.WriteLine("### sherpa-onnx: the C# binding against the official Node binding");
            report.WriteLine();
            report.WriteLine(Invariant($"The same model, text and thread count (1) through Voxgate and through `sherpa-onnx-node` {SherpaOnnx.SupportedVersion} (the official binding of the same native library), {runs} rounds of {CallsPerRound} calls each, alternating, after a warm-up; medians of the per-call times (Node's exclude its start-up). *One call*: the whole text in one generation, Voxgate's binding (its callback only counting) against Node's `tts.generate`. *Streamed*: the audio handed over sentence by sentence as it is generated, Voxgate's engine (binding, callback, channel, as the server runs it) against Node's `tts.generateAsync` with `onProgress`. Target: C# at least as fast (Node / C# ≥ 1)."));
            report.WriteLine();
            report.WriteLine("| model and text | audio s | C# one call ms | Node one call ms | Node / C# | C# streamed ms | Node streamed ms | Node / C# | C# x RT |");
            report.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Case @case in cases)
            {
                using SherpaEngine engine = SherpaEngine.Load(@case.Model, options);
                using SherpaOnnx.TtsHandle handle = SherpaEngine.CreateHandle(@case.Model, options, voicesOverride: null);
                var call = new List<double>();
                var streamed = new List<double>();
                var nodeCall = new List<double>();
                var nodeStreamed = new List<double>();
                double audioSeconds = await StreamedAsync(engine, @case.Text); // warm-up, and the audio's length
                OneCall(handle, @case.Text);
                for (int round = 0; round < runs; round++)
                {
                    for (int i = 0; i < CallsPerRound; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        OneCall(handle, @case.Text);
                        call.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        start = Stopwatch.GetTimestamp();
                        await StreamedAsync(engine, @case.Text);
                        streamed.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                    (List<double> one, List<double> stream) = await NodeCallsAsync(@case.Model, options, @case.Text, CallsPerRound);
                    nodeCall.AddRange(one);
                    nodeStreamed.AddRange(stream);
                }
                double c = Measure.Median(call), n = Measure.Median(nodeCall), cs = Measure.Median(streamed), ns = Measure.Median(nodeStreamed);
                report.WriteLine(Invariant($"| {@case.Label} | {audioSeconds:0.00} | {c:0.000} | {n:0.000} | {n / c:0.00} | {cs:0.000} | {ns:0.000} | {ns / cs:0.00} | {audioSeconds * 1000 / c:0} |"));
            }
            report.WriteLine();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static InstalledModel Install(ModelStore store, byte[] model, byte[]? voices, string id)
    {
        string directory = Path.Combine(store.Root, id);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), model);
        File.WriteAllText(Path.Combine(directory, "tokens.txt"), OnnxModelWriter.Tokens());
        if (voices is not null)
        {
            File.WriteAllBytes(Path.Combine(directory, "voices.bin"), voices);
        }
        ModelLayout.Describe(directory, id, null, "bench").Save(directory);
        return store.Get(id);
    }

    /// <summary>One generation of the whole text through the binding alone, as Node's <c>tts.generate</c> makes one.</summary>
    private static void OneCall(SherpaOnnx.TtsHandle handle, string text)
    {
        if (!SherpaOnnx.Generate(handle, text, speakerId: 0, speed: 1f, DiscardingSink.Instance))
        {
            throw new InvalidOperationException("sherpa-onnx generated nothing.");
        }
    }

    private sealed class DiscardingSink : ISherpaSamplesSink
    {
        public static readonly DiscardingSink Instance = new();

        public bool OnSamples(ReadOnlySpan<float> samples, float progress) => true;
    }

    private static async Task<double> StreamedAsync(SherpaEngine engine, string text)
    {
        long samples = 0;
        await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(text, engine.Voices[0]), CancellationToken.None))
        {
            samples += chunk.Samples.Length;
        }
        return samples / (double)engine.SampleRate;
    }

    /// <summary>Runs the calls in a Node process with the official binding; returns the per-call times it measured, one call and streamed.</summary>
    private static async Task<(List<double> OneCall, List<double> Streamed)> NodeCallsAsync(InstalledModel model, ModelOptions options, string text, int calls)
    {
        string script = Path.Combine(Path.GetTempPath(), "voxgate-bench-sherpa.js");
        await File.WriteAllTextAsync(script, """
            const sherpa = require(process.env.SHERPA_NODE);
            const job = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
            const tts = new sherpa.OfflineTts(job.config);
            const request = { text: job.text, sid: 0, speed: 1.0, generationConfig: { sid: 0, speed: 1.0, silenceScale: 0.2 } };
            async function main() {
              let samples = 0;
              const streamed = { ...request, onProgress: (info) => { samples += info.samples.length; return 1; } };
              for (let i = 0; i < 3; i++) { tts.generate(request); await tts.generateAsync(streamed); }
              const oneCall = [], stream = [];
              for (let i = 0; i < job.calls; i++) {
                let start = process.hrtime.bigint();
                tts.generate(request);
                oneCall.push(Number(process.hrtime.bigint() - start) / 1e6);
                start = process.hrtime.bigint();
                await tts.generateAsync(streamed);
                stream.push(Number(process.hrtime.bigint() - start) / 1e6);
              }
              console.log(JSON.stringify({ oneCall, stream }));
            }
            main();
            """);
        string job = Path.Combine(Path.GetTempPath(), $"voxgate-bench-sherpa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(job, JsonSerializer.Serialize(new { config = NodeConfig(model, options), text, calls }));
        try
        {
            var info = new ProcessStartInfo("node", [script, job]) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["SHERPA_NODE"] = NodeModule;
            using Process node = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
            Task<string> errors = node.StandardError.ReadToEndAsync();
            string output = await node.StandardOutput.ReadToEndAsync();
            await node.WaitForExitAsync();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"the Node benchmark failed: {await errors}");
            }
            JsonElement times = JsonDocument.Parse(output).RootElement;
            return ([.. times.GetProperty("oneCall").EnumerateArray().Select(t => t.GetDouble())], [.. times.GetProperty("stream").EnumerateArray().Select(t => t.GetDouble())]);
        }
        finally
        {
            File.Delete(job);
        }
    }

    /// <summary>The Node binding's configuration for the same files and thread count.</summary>
    private static object NodeConfig(InstalledModel model, ModelOptions options)
    {
        ModelManifest manifest = model.Manifest;
        string? Full(string? file) => file is null ? null : Path.Combine(model.Directory, file);
        string dataDir = Full(manifest.Files.DataDir) ?? options.FallbackDataDirectory;
        string? lexicon = manifest.Files.Lexicons is { Count: > 0 } l ? string.Join(",", l.Select(f => Path.Combine(model.Directory, f))) : null;
        object kind = manifest.Kind switch
        {
            ModelKind.Kokoro => new { kokoro = new { model = Full(manifest.Files.Model), voices = Full(manifest.Files.Voices), tokens = Full(manifest.Files.Tokens), dataDir, lexicon, lang = manifest.Language } },
            ModelKind.Kitten => new { kitten = new { model = Full(manifest.Files.Model), voices = Full(manifest.Files.Voices), tokens = Full(manifest.Files.Tokens), dataDir } },
            ModelKind.Matcha => new { matcha = new { acousticModel = Full(manifest.Files.Model), vocoder = Full(manifest.Files.Vocoder), tokens = Full(manifest.Files.Tokens), dataDir, lexicon } },
            _ => (object)new { vits = new { model = Full(manifest.Files.Model), tokens = Full(manifest.Files.Tokens), dataDir, lexicon } },
        };
        var modelConfig = JsonSerializer.SerializeToNode(kind)!.AsObject();
        modelConfig["numThreads"] = options.ThreadsPerGeneration;
        modelConfig["provider"] = "cpu";
        modelConfig["debug"] = 0;
        return new { model = modelConfig, maxNumSentences = 1, silenceScale = 0.2 };
    }

    private static string FindNodeModule()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            string candidate = Path.Combine(directory, ".native", "sherpa-onnx-node", "node_modules", "sherpa-onnx-node");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return "";
    }

    public static bool NodeAvailable => NodeModule.Length > 0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
