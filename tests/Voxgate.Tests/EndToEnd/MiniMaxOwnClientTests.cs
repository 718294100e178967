using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.EndToEnd;

/// <summary>
/// MiniMax's own published client, its MCP server (npm <c>minimax-mcp-js</c>, installed by <c>ensure-deps.sh --test</c>),
/// pointed at a real Voxgate process with <c>MINIMAX_API_HOST</c> and a Voxgate key, and driven over its stdio
/// JSON-RPC as an assistant would: it lists voices (get_voice), speaks (t2a_v2) and designs a voice (voice_design),
/// reading Voxgate's answers with its own code.
/// </summary>
public sealed partial class MiniMaxOwnClientTests(ServerProcess server) : IClassFixture<ServerProcess>
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
