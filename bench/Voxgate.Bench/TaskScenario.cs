using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Voxgate.Bench;

/// <summary>
/// A long asynchronous task (1,000,000 characters by default), as a MiniMax client runs it, against a real <c>voxgate serve</c> process:
/// once with one segment synthesised at a time (the baseline) and once with two, each in its own fresh process so its
/// peak resident memory (VmHWM) is the task's alone.
/// </summary>
public sealed class TaskScenario(int rounds, int characters, TextWriter report)
{
    private sealed record TaskRun(int Parallelism, double Seconds, double AudioSeconds, long PeakBytes, long IdlePeakBytes);

    public async Task RunAsync(string voice)
    {
        string text = Texts.OfLength(characters);
        var results = new List<TaskRun>();
        for (int round = 0; round < rounds; round++)
        {
            // Alternate the order each round, so a slow phase of the machine does not always hit the same setting.
            foreach (int parallelism in round % 2 == 0 ? new[] { 1, 2 } : [2, 1])
            {
                results.Add(await RunOnceAsync(voice, text, parallelism));
            }
        }
        double one = Median(results, 1, r => r.Seconds), two = Median(results, 2, r => r.Seconds);
        report.WriteLine($"### Asynchronous long-text task ({characters:N0} characters, voice {voice}, FLAC 16 kHz mono)");
        report.WriteLine();
        report.WriteLine(Invariant($"A fresh `voxgate serve` process per run: upload the text as a .txt file, create the task with t2a_async_v2, poll t2a_async_query_v2 until Success. Peak memory is the process's VmHWM (peak resident set) after the task, against its VmHWM after start-up. {rounds} round(s), medians. Targets: peak under 1 GB; two segments at a time at least 1.6x one."));
        report.WriteLine();
        report.WriteLine("| segments at once | task s | audio h | x RT | peak MiB (task) | peak MiB (idle server) | throughput vs 1 |");
        report.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int parallelism in new[] { 1, 2 })
        {
            double seconds = Median(results, parallelism, r => r.Seconds), audio = Median(results, parallelism, r => r.AudioSeconds);
            report.WriteLine(Invariant(
                $"| {parallelism} | {seconds:0.0} | {audio / 3600:0.00} | {audio / seconds:0} | {Median(results, parallelism, r => r.PeakBytes) / 1048576:0} | {Median(results, parallelism, r => r.IdlePeakBytes) / 1048576:0} | {one / seconds:0.00}x |"));
        }
        report.WriteLine();
        report.WriteLine(Invariant($"Throughput with two segments at once: **{one / two:0.00}x** one."));
        report.WriteLine();
    }

    private static double Median(List<TaskRun> runs, int parallelism, Func<TaskRun, double> value) =>
        Measure.Median(runs.Where(r => r.Parallelism == parallelism).Select(value));

    private static async Task<TaskRun> RunOnceAsync(string voice, string text, int parallelism)
    {
        await using ServerProcessHost server = await ServerProcessHost.StartAsync([new("Voxgate__Tasks__Parallelism", parallelism.ToString(CultureInfo.InvariantCulture))]);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.CreateFundedKeyAsync("bench", "1000"));
        long idlePeak = server.PeakResidentBytes;

        using var form = new MultipartFormDataContent
        {
            { new StringContent("t2a_async_input"), "purpose" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", "book.txt" },
        };
        long fileId = (await JsonAsync(await http.PostAsync("minimax/v1/files/upload", form))).GetProperty("file").GetProperty("file_id").GetInt64();
        long started = Stopwatch.GetTimestamp();
        JsonElement created = await JsonAsync(await http.PostAsJsonAsync("minimax/v1/t2a_async_v2", new
        {
            model = "flite",
            text_file_id = fileId,
            voice_setting = new { voice_id = voice },
            audio_setting = new { audio_sample_rate = 16000, format = "flac", channel = 1 },
        }));
        long taskId = created.GetProperty("task_id").GetInt64();
        double shown = -1;
        while (true)
        {
            JsonElement state = await JsonAsync(await http.GetAsync($"minimax/v1/query/t2a_async_query_v2?task_id={taskId}"));
            string status = state.GetProperty("status").GetString()!;
            double percent = state.GetProperty("progress").GetProperty("percent").GetDouble();
            if (percent != shown)
            {
                Console.Error.Write(Invariant($"\r  {parallelism} at once: {percent,5:0.0}% "));
                shown = percent;
            }
            if (status != "Processing")
            {
                Console.Error.WriteLine();
                if (status != "Success")
                {
                    throw new InvalidOperationException($"task ended {status}: {state}");
                }
                break;
            }
            await Task.Delay(250);
        }
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        JsonElement file = (await JsonAsync(await http.GetAsync($"minimax/v1/files/retrieve?file_id={created.GetProperty("file_id").GetInt64()}"))).GetProperty("file");
        double audioSeconds = await AudioSecondsAsync(http, file.GetProperty("download_url").GetString()!, taskId);
        return new TaskRun(parallelism, seconds, audioSeconds, server.PeakResidentBytes, idlePeak);
    }

    /// <summary>The audio length the task reported in its tar's .extra entry, read without keeping the audio.</summary>
    private static async Task<double> AudioSecondsAsync(HttpClient http, string url, long taskId)
    {
        await using Stream tar = await http.GetStreamAsync(url);
        await using var reader = new System.Formats.Tar.TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name == $"{taskId}.extra" && entry.DataStream is not null)
            {
                return JsonDocument.Parse(entry.DataStream).RootElement.GetProperty("audio_length").GetInt64() / 1000.0;
            }
        }
        throw new InvalidOperationException("the result has no .extra entry");
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        JsonElement root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (root.TryGetProperty("base_resp", out JsonElement status) && status.GetProperty("status_code").GetInt32() != 0)
        {
            throw new InvalidOperationException($"MiniMax surface answered {status}");
        }
        return root;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
