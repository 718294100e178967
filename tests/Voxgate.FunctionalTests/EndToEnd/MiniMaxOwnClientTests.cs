using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Voxgate.Tests.Support;
using Voxgate.Tests.Voices;

namespace Voxgate.Tests.EndToEnd;

/// <summary>
/// MiniMax's own published client, its MCP server (npm <c>minimax-mcp-js</c>, installed by <c>ensure-deps.sh --test</c>),
/// pointed at a real Voxgate process with <c>MINIMAX_API_HOST</c> and a Voxgate key, and driven over its stdio
/// JSON-RPC as an assistant would: it lists voices (get_voice), speaks (t2a_v2), designs a voice (voice_design) and
/// clones one from a recording on disk (files/upload then voice_clone, with the tiny cloning model installed), reading
/// Voxgate's answers with its own code.
/// </summary>
public sealed partial class MiniMaxOwnClientTests(CloningServerProcess server) : IClassFixture<CloningServerProcess>
{
    [Fact]
    public async Task MiniMaxsOwnClientListsVoicesSpeaksAndDesignsAVoiceOnVoxgate()
    {
        string key = await server.CreateFundedKeyAsync("mcp-" + Guid.NewGuid().ToString("N")[..8], "5.00");
        string output = Directory.CreateTempSubdirectory("voxgate-mcp-").FullName;
        try
        {
            await using var client = await McpClient.StartAsync(server.BaseAddress, key, output);

            string voices = await client.CallAsync("list_voices", new JsonObject { ["voiceType"] = "all" });
            Assert.StartsWith("Success.", voices);
            Assert.Contains("ID: flite:kal16", voices);

            string spoken = await client.CallAsync("text_to_audio", new JsonObject
            {
                ["text"] = "Hello from MiniMax's own client.", ["voiceId"] = "flite:kal16", ["model"] = "speech-02-hd",
                ["outputDirectory"] = "out", ["format"] = "mp3",
            });
            string audio = SavedFile().Match(spoken) is { Success: true } saved ? saved.Groups[1].Value.Trim() : throw new Xunit.Sdk.XunitException(spoken);
            ProbeResult probe = await AudioProbe.ProbeAsync(await File.ReadAllBytesAsync(audio), "mp3");
            Assert.Equal("mp3", probe.Codec);
            Assert.True(probe.DecodedDuration > TimeSpan.FromSeconds(1), $"{probe.DecodedDuration}");
            Assert.StartsWith(output, audio); // under the client's base path, where it was told to write

            string designed = await client.CallAsync("voice_design", new JsonObject
            {
                ["prompt"] = "A warm, deep male narrator", ["previewText"] = "A short trial of the voice.", ["outputDirectory"] = "out",
            });
            string voiceId = DesignedVoice().Match(designed) is { Success: true } id ? id.Groups[1].Value : throw new Xunit.Sdk.XunitException(designed);
            Assert.StartsWith("ttv-voice-", voiceId);

            // The client speaks with the voice it designed, and lists it as the account's.
            string again = await client.CallAsync("text_to_audio", new JsonObject
            {
                ["text"] = "The designed voice speaks.", ["voiceId"] = voiceId, ["model"] = "speech-02-hd", ["outputDirectory"] = "out",
            });
            Assert.Matches(SavedFile(), again);
            Assert.StartsWith("Success.", await client.CallAsync("list_voices", new JsonObject { ["voiceType"] = "all" }));

            // Three billed calls: two speeches and the design's trial.
            using HttpClient customer = server.Client().WithKey(key);
            JsonElement usage = await (await customer.GetAsync("v1/usage")).JsonAsync();
            Assert.Equal(3, usage.GetProperty("total").GetProperty("requests").GetInt32());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task MiniMaxsOwnClientClonesVoicesFromRecordingsOnDiskAndSpeaksWithThem()
    {
        await server.WaitForModelAsync();
        string key = await server.CreateFundedKeyAsync("mcp-clone-" + Guid.NewGuid().ToString("N")[..8], "5.00");
        string output = Directory.CreateTempSubdirectory("voxgate-mcp-").FullName;
        try
        {
            // Two recordings five times apart in loudness; the tiny model speaks as loud as its reference.
            string quietRecording = Path.Combine(output, "quiet.wav"), loudRecording = Path.Combine(output, "loud.wav");
            await File.WriteAllBytesAsync(quietRecording, Recordings.Wav(TimeSpan.FromSeconds(12), 0.2f));
            await File.WriteAllBytesAsync(loudRecording, Recordings.Wav(TimeSpan.FromSeconds(12), 1.0f));
            await using var client = await McpClient.StartAsync(server.BaseAddress, key, output);

            // The client uploads the file (purpose voice_clone) and clones from its file_id; with text it asks for a
            // demo, which it downloads from the link Voxgate answers with.
            string quiet = await client.CallAsync("voice_clone", new JsonObject
            {
                ["voiceId"] = "McpQuietVoice1", ["audioFile"] = quietRecording, ["text"] = "A short preview.", ["outputDirectory"] = "out",
            });
            string demo = ClonedWithDemo().Match(quiet) is { Success: true } saved ? saved.Groups[1].Value : throw new Xunit.Sdk.XunitException(quiet);
            Assert.StartsWith(output, demo);
            Assert.Equal("Voice cloning successful: McpLoudVoice01", await client.CallAsync("voice_clone", new JsonObject
            {
                ["voiceId"] = "McpLoudVoice01", ["audioFile"] = loudRecording,
            }));

            string voices = await client.CallAsync("list_voices", new JsonObject { ["voiceType"] = "voice_cloning" });
            Assert.Contains("ID: McpQuietVoice1", voices);
            Assert.Contains("ID: McpLoudVoice01", voices);

            double quietSpeech = await SpeakAsync(client, "McpQuietVoice1");
            double loudSpeech = await SpeakAsync(client, "McpLoudVoice01");
            Assert.InRange(loudSpeech / quietSpeech, 3.5, 7);
            // The demo is the quiet voice too. The client names it .wav whatever it holds; Voxgate's demo is MP3, as MiniMax's is.
            double demoSpeech = await AudioProbe.SpeechRmsAsync(await File.ReadAllBytesAsync(demo), "mp3");
            Assert.InRange(demoSpeech / quietSpeech, 0.7, 1.4);

            // Three billed calls: the demo and two speeches; the uploads and the cloning itself are free.
            using HttpClient customer = server.Client().WithKey(key);
            JsonElement usage = await (await customer.GetAsync("v1/usage")).JsonAsync();
            Assert.Equal(3, usage.GetProperty("total").GetProperty("requests").GetInt32());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Speaks through the client's text_to_audio with <paramref name="voiceId"/>; the RMS of what it saved.</summary>
    private static async Task<double> SpeakAsync(McpClient client, string voiceId)
    {
        string spoken = await client.CallAsync("text_to_audio", new JsonObject
        {
            ["text"] = "Hello there. This voice was cloned from a recording.", ["voiceId"] = voiceId, ["model"] = "speech-02-hd",
            ["outputDirectory"] = "out", ["format"] = "wav",
            ["emotion"] = "neutral", // the client's default is happy, which a local engine renders louder than the demo
        });
        string audio = SavedFile().Match(spoken) is { Success: true } saved ? saved.Groups[1].Value.Trim() : throw new Xunit.Sdk.XunitException(spoken);
        return await AudioProbe.SpeechRmsAsync(await File.ReadAllBytesAsync(audio), "wav");
    }

    [GeneratedRegex(@"^Voice cloning successful: McpQuietVoice1 \(Demo audio: (\S+)\)$")]
    private static partial Regex ClonedWithDemo();

    [GeneratedRegex(@"saved(?: as)?: (\S+?\.(?:mp3|wav|flac|pcm))")]
    private static partial Regex SavedFile();

    [GeneratedRegex(@"Voice ID: (\S+?)\.? ")]
    private static partial Regex DesignedVoice();

    /// <summary>The MCP server as a child process, spoken to in newline-delimited JSON-RPC over its stdin and stdout.</summary>
    private sealed class McpClient : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _errors;
        private int _nextId;

        private McpClient(Process process)
        {
            _process = process;
            _errors = process.StandardError.ReadToEndAsync();
        }

        public static async Task<McpClient> StartAsync(Uri voxgate, string key, string output)
        {
            string entry = Path.Combine(RepositoryRoot(), ".native", "minimax-mcp", "node_modules", "minimax-mcp-js", "build", "index.js");
            Assert.True(File.Exists(entry), $"{entry} is missing: scripts/ensure-deps.sh --test installs it.");
            var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(entry);
            info.Environment["MINIMAX_API_KEY"] = key;
            info.Environment["MINIMAX_API_HOST"] = voxgate.ToString().TrimEnd('/');
            info.Environment["MINIMAX_MCP_BASE_PATH"] = output;
            info.Environment["MINIMAX_RESOURCE_MODE"] = "local";
            var client = new McpClient(Process.Start(info)!);
            await client.RequestAsync("initialize", new JsonObject
            {
                ["protocolVersion"] = "2024-11-05",
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = "voxgate-tests", ["version"] = "1" },
            });
            await client.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
            return client;
        }

        /// <summary>Calls a tool and returns the text it answered with.</summary>
        public async Task<string> CallAsync(string tool, JsonObject arguments)
        {
            JsonElement result = await RequestAsync("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments });
            return string.Concat(result.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
        }

        private async Task<JsonElement> RequestAsync(string method, JsonObject parameters)
        {
            int id = ++_nextId;
            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (true)
            {
                string? line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new Xunit.Sdk.XunitException($"the MCP server ended: {await _errors}");
                using JsonDocument message = JsonDocument.Parse(line);
                if (message.RootElement.TryGetProperty("id", out JsonElement answered) && answered.GetInt32() == id)
                {
                    Assert.False(message.RootElement.TryGetProperty("error", out JsonElement error), $"{method}: {error}");
                    return message.RootElement.GetProperty("result").Clone();
                }
            }
        }

        private async Task SendAsync(JsonObject message)
        {
            await _process.StandardInput.WriteLineAsync(message.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }

        private static string RepositoryRoot()
        {
            for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
            {
                if (File.Exists(Path.Combine(directory, "Voxgate.sln")))
                {
                    return directory;
                }
            }
            throw new InvalidOperationException("The repository root (Voxgate.sln) is not above " + AppContext.BaseDirectory);
        }

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
