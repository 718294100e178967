using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Voxgate.Bench;

/// <summary>
/// A fresh <c>voxgate serve</c> process on its own data directory and a port the kernel chooses, so that what it
/// measures (resident memory above all) is one scenario's alone. Disposing it kills the process and removes the data.
/// </summary>
public sealed partial class ServerProcessHost : IAsyncDisposable
{
    private const string AdminKey = "bench-admin-key-0123456789abcdef";

    private readonly Process _process;
    private readonly string _data;
    private readonly List<string> _log;

    private ServerProcessHost(Process process, string data, Uri baseAddress, List<string> log)
    {
        _process = process;
        _data = data;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <param name="environment">Settings for this run (<c>Voxgate__Section__Key</c>).</param>
    public static async Task<ServerProcessHost> StartAsync(IEnumerable<KeyValuePair<string, string>> environment)
    {
        string data = Directory.CreateTempSubdirectory("voxgate-bench-server-").FullName;
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ServerDll());
        info.ArgumentList.Add("serve");
        info.Environment["VOXGATE_PORT"] = "0";
        info.Environment["VOXGATE_DATA"] = data;
        info.Environment["VOXGATE_ADMIN_KEY"] = AdminKey;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__voxgate"] = "Information"; // the application's own category: its ready line names the port
        foreach ((string name, string value) in environment)
        {
            info.Environment[name] = value;
        }
        Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start voxgate");
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>(); // warnings and errors only, and the ready line
        void Watch(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (log)
            {
                log.Add(line);
            }
            if (ListeningOn().Match(line) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }
        process.OutputDataReceived += (_, e) => Watch(e.Data);
        process.ErrorDataReceived += (_, e) => Watch(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Task exited = process.WaitForExitAsync();
        if (await Task.WhenAny(port.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != port.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("voxgate did not start");
        }
        return new ServerProcessHost(process, data, new Uri($"http://127.0.0.1:{await port.Task}/"), log);
    }

    /// <summary>An account with a key, credit, and the limits given (per-minute limits high unless said otherwise).</summary>
    public async Task<string> CreateFundedKeyAsync(string account, string dollars, int concurrentRequests = 8)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        (await http.PostAsJsonAsync("admin/accounts", new { name = account, concurrent_requests = concurrentRequests })).EnsureSuccessStatusCode();
        HttpResponseMessage key = await http.PostAsJsonAsync($"admin/accounts/{account}/keys",
            new { name = "bench", requests_per_minute = 10_000_000, characters_per_minute = 2_000_000_000 });
        string secret = JsonDocument.Parse(await key.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        (await http.PostAsJsonAsync($"admin/accounts/{account}/topups", new { amount = dollars })).EnsureSuccessStatusCode();
        return secret;
    }

    /// <summary>How many lines the server has logged (at warning level and above) that contain <paramref name="text"/>.</summary>
    public int LogLines(string text)
    {
        lock (_log)
        {
            return _log.Count(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// The processor time the process has used so far, user and system, on all its threads (those that have ended
    /// included), from <c>/proc/PID/stat</c>: in clock ticks of 10 ms, so a difference is exact to 10 ms.
    /// </summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            // The command name (field 2) is in parentheses and may hold spaces; fields are counted after it from 3 (state).
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
    }

    /// <summary>The process's resident set now (VmRSS).</summary>
    public long ResidentBytes => Status("VmRSS:");

    /// <summary>The process's peak resident set so far (VmHWM).</summary>
    public long PeakResidentBytes => Status("VmHWM:");

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private long Status(string field)
    {
        string line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
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

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningOn();
}
