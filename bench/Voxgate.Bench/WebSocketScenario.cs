using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Bench;

/// <summary>
/// The MiniMax WebSocket with text arriving in pieces: the time from the task_continue that completes the first
/// sentence to its first audio event, against the engine's own time for that sentence (in process) and the HTTP
/// stream's time to first byte for the same sentence, all on the same voice in the same run.
/// </summary>
public sealed class WebSocketScenario(BenchHost host, int runs, TextWriter report)
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog, and then it runs back home again.";

    public async Task RunAsync()
    {
        report.WriteLine("### WebSocket: first audio of text sent in pieces (MiniMax protocol, mp3)");
        report.WriteLine();
        report.WriteLine(Invariant($"A {Sentence.Length}-character sentence is sent four characters at a time; the clock starts when the piece that completes it (its full stop) is sent and stops at the first task_continued event with audio. ")
            + "\"engine\" is the engine's own time for that sentence, in process; \"HTTP first byte\" the streamed POST /v1/audio/speech of the same sentence into the same output (mp3, 24 kHz, 128 kb/s). Targets: under 30 ms on flite:kal16; under the engine's time on every embedded voice.");
        report.WriteLine();
        report.WriteLine("| voice | WebSocket first audio ms | engine ms | WebSocket / engine | HTTP first byte ms | WebSocket / HTTP |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|");
        SpeechEngineRegistry registry = host.Get<SpeechEngineRegistry>();
        string[] flite = [.. registry.Voices.Where(v => v.Engine == "flite").Select(v => v.Id).Order()];
        string[] espeak = [.. registry.Voices.Where(v => v.Engine == "espeak").Select(v => v.Id).Order()];
        foreach (string voice in flite.Append("espeak:en-us"))
        {
            (double ws, double engine, double http) = await VoiceAsync(voice, runs * 3);
            report.WriteLine(Invariant($"| {voice} | {ws * 1000:0.0} | {engine * 1000:0.0} | {ws / engine:0.00} | {http * 1000:0.0} | {ws / http:0.00} |"));
        }
        var ratios = new Dictionary<string, double>();
        foreach (string voice in espeak)
        {
            (double ws, double engine, _) = await VoiceAsync(voice, runs, http: false);
            ratios[voice] = ws / engine;
        }
        if (ratios.Count > 0)
        {
            // The sweep takes few rounds per voice, so its worst ratios are partly noise: the five worst are measured
            // again with three times the rounds, and that measurement is their figure.
            var worst = ratios.OrderByDescending(r => r.Value).Take(5).Select(r => r.Key).ToList();
            var again = new List<string>();
            foreach (string voice in worst)
            {
                (double ws, double engine, _) = await VoiceAsync(voice, runs * 3, http: false);
                again.Add(Invariant($"{voice} {ratios[voice]:0.00} → {ws / engine:0.00}"));
                ratios[voice] = ws / engine;
            }
            report.WriteLine(Invariant($"| all {ratios.Count} eSpeak NG voices | | | median {Measure.Median([.. ratios.Values]):0.00}, worst {ratios.Values.Max():0.00} | | |"));
            report.WriteLine();
            report.WriteLine($"The five worst of the sweep, measured again with {runs * 3} rounds each: {string.Join("; ", again)}.");
        }
        report.WriteLine();
    }

    /// <summary>Medians of the WebSocket's first audio, the engine's time and HTTP's first byte, interleaved, after a warm-up.</summary>
    private async Task<(double WebSocket, double Engine, double Http)> VoiceAsync(string voice, int rounds, bool http = true)
    {
        var ws = new List<double>();
        var engine = new List<double>();
        var first = new List<double>();
        for (int i = 0; i <= rounds; i++)
        {
            double w = await FirstAudioAsync(voice);
            double e = await EngineAsync(voice);
            double h = http ? await HttpFirstByteAsync(voice) : 0;
            if (i > 0)
            {
                ws.Add(w);
                engine.Add(e);
                first.Add(h);
            }
        }
        return (Measure.Median(ws), Measure.Median(engine), Measure.Median(first));
    }

    private async Task<double> EngineAsync(string voice)
    {
        SpeechPlan plan = host.Get<SpeechPlanner>().Plan(new SpeechRequest { Model = "tts-1", Voice = voice, Input = Sentence });
        var local = (LocalSynthesis)plan.Route;
        long start = Stopwatch.GetTimestamp();
        foreach (var segment in plan.Text.Segments)
        {
            await foreach (PcmChunk _ in local.Engine.SynthesizeAsync(new EngineRequest(segment.Text, plan.Voice, local.EngineSpeed), CancellationToken.None))
            {
            }
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private async Task<double> FirstAudioAsync(string voice)
    {
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(new Uri(host.Client.BaseAddress!, "ws/v1/t2a_v2")) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);
        byte[] buffer = new byte[1024 * 1024];
        await ReceiveAsync(socket, buffer); // connected_success
        await SendAsync(socket, new Dictionary<string, object>
        {
            ["event"] = "task_start", ["model"] = "tts-1", ["voice_setting"] = new { voice_id = voice }, ["audio_setting"] = new { format = "mp3", sample_rate = 24000 }, // the HTTP request's output
        });
        await ReceiveAsync(socket, buffer); // task_started
        string body = Sentence[..^1];
        for (int i = 0; i < body.Length; i += 4)
        {
            await SendAsync(socket, new Dictionary<string, object> { ["event"] = "task_continue", ["text"] = body.Substring(i, Math.Min(4, body.Length - i)) });
        }
        long start = Stopwatch.GetTimestamp();
        await SendAsync(socket, new Dictionary<string, object> { ["event"] = "task_continue", ["text"] = "." });
        while (true)
        {
            using JsonDocument message = await ReceiveAsync(socket, buffer);
            if (message.RootElement.GetProperty("event").GetString() == "task_continued"
                && message.RootElement.GetProperty("data").GetProperty("audio").GetString() is { Length: > 0 })
            {
                break;
            }
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await SendAsync(socket, new Dictionary<string, object> { ["event"] = "task_finish" });
        while (true)
        {
            using JsonDocument message = await ReceiveAsync(socket, buffer);
            if (message.RootElement.GetProperty("event").GetString() is "task_finished" or "task_failed")
            {
                break;
            }
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        return seconds;
    }

    private async Task<double> HttpFirstByteAsync(string voice)
    {
        long start = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["model"] = "tts-1", ["voice"] = voice, ["input"] = Sentence, ["response_format"] = "mp3" }),
        };
        using HttpResponseMessage response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using Stream audio = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[64 * 1024];
        await audio.ReadExactlyAsync(buffer.AsMemory(0, 1));
        double first = Stopwatch.GetElapsedTime(start).TotalSeconds;
        while (await audio.ReadAsync(buffer) > 0)
        {
        }
        return first;
    }

    private static Task SendAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonDocument> ReceiveAsync(ClientWebSocket socket, byte[] buffer)
    {
        int length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            length += result.Count;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the connection.");
            }
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.AsMemory(0, length));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
