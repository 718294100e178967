using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
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
    private const string AdminKey = "bench-admin-key-0123456789abcdef";

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
        string data = Directory.CreateTempSubdirectory("voxgate-bench-task-").FullName;
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ServerDll());
        info.ArgumentList.Add("serve");
        info.Environment["VOXGATE_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["VOXGATE_DATA"] = data;
        info.Environment["VOXGATE_ADMIN_KEY"] = AdminKey;
        info.Environment["Voxgate__Tasks__Parallelism"] = parallelism.ToString(CultureInfo.InvariantCulture);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using Process server = Process.Start(info) ?? throw new InvalidOperationException("could not start voxgate");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
            await WaitUntilReadyAsync(http, server);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateFundedKeyAsync(http));
            long idlePeak = PeakResidentBytes(server);

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
            return new TaskRun(parallelism, seconds, audioSeconds, PeakResidentBytes(server), idlePeak);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
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

    /// <summary>The process's peak resident set (VmHWM in /proc/PID/status).</summary>
    private static long PeakResidentBytes(Process process)
    {
        string line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, Process server)
    {
        for (int attempt = 0; attempt < 600; attempt++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"voxgate exited with {server.ExitCode}");
            }
            try
            {
                if ((await http.GetAsync("readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("voxgate did not become ready");
    }

    private static async Task<string> CreateFundedKeyAsync(HttpClient http)
    {
        using var admin = new HttpRequestMessage(HttpMethod.Post, "admin/accounts") { Content = JsonContent.Create(new { name = "bench" }) };
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        (await http.SendAsync(admin)).EnsureSuccessStatusCode();
        using var key = new HttpRequestMessage(HttpMethod.Post, "admin/accounts/bench/keys") { Content = JsonContent.Create(new { name = "bench" }) };
        key.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        string secret = (await JsonAsync(await http.SendAsync(key))).GetProperty("key").GetString()!;
        using var topUp = new HttpRequestMessage(HttpMethod.Post, "admin/accounts/bench/topups") { Content = JsonContent.Create(new { amount = "1000" }) };
        topUp.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        (await http.SendAsync(topUp)).EnsureSuccessStatusCode();
        return secret;
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

    /// <summary>The server build beside the benchmark's (bench/run.sh builds it in Release).</summary>
    private static string ServerDll()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Voxgate.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }
        return Path.Combine(directory ?? throw new InvalidOperationException("Voxgate.sln not found"), "src", "Voxgate", "bin", "Release", "net10.0", "voxgate.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
