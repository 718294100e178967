using System.Diagnostics;
using System.Text.Json;
using Voxgate.Speech.Models;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

/// <summary>
/// A server pointed (VOXGATE_SHERPA_DIR) at a sherpa-onnx of another version, played by a stub library compiled here
/// that answers <c>SherpaOnnxGetVersionStr</c> with 1.12.0, and with a model installed.
/// </summary>
public sealed class MismatchedSherpaServer : ServerProcess
{
    private string Library => Path.Combine(DataDirectory, "fake-sherpa"); // deleted with the data directory

    protected override async Task PrepareDataAsync(string dataDirectory)
    {
        Directory.CreateDirectory(Library);
        string source = Path.Combine(Library, "stub.c");
        await File.WriteAllTextAsync(source, """
            const char *SherpaOnnxGetVersionStr(void) { return "1.12.0"; }
            const char *SherpaOnnxGetGitSha1(void) { return "00000000"; }
            """);
        using Process gcc = Process.Start(new ProcessStartInfo("gcc", ["-shared", "-fPIC", "-o", Path.Combine(Library, "libsherpa-onnx-c-api.so"), source])
        {
            RedirectStandardError = true,
        })!;
        string errors = await gcc.StandardError.ReadToEndAsync();
        await gcc.WaitForExitAsync();
        Assert.True(gcc.ExitCode == 0, errors);

        string model = NeuralModels.WriteKokoro(Path.Combine(dataDirectory, "models", "kokoro-test"));
        ModelLayout.Describe(model, "kokoro-test", new KnownModel { Id = "kokoro-test", Engine = "kokoro", Url = "file:///" }, model).Save(model);
    }

    protected override IEnumerable<KeyValuePair<string, string>> Environment => [new("VOXGATE_SHERPA_DIR", Library)];
}

public class SherpaVersionTests(MismatchedSherpaServer server) : IClassFixture<MismatchedSherpaServer>
{
    [Fact]
    public async Task AnotherVersionIsRefusedAtStartTheModelsStayUnverifiedAndTheEmbeddedVoicesServe()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        JsonElement ready = default;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            ready = await (await http.GetAsync("readyz")).JsonAsync();
            if (ready.GetProperty("neural_models").GetArrayLength() > 0)
            {
                break;
            }
            await Task.Delay(100);
        }

        JsonElement failure = Assert.Single(ready.GetProperty("failures").EnumerateArray(), f => f.GetProperty("engine").GetString() == "sherpa-onnx");
        Assert.Contains("sherpa-onnx 1.12.0 is loaded", failure.GetProperty("reason").GetString());
        Assert.Contains("1.13.8", failure.GetProperty("reason").GetString());
        JsonElement model = Assert.Single(ready.GetProperty("neural_models").EnumerateArray());
        Assert.Equal("failed", model.GetProperty("status").GetString());
        Assert.Equal("ready", ready.GetProperty("status").GetString()); // the embedded engines serve every catalog model
        Assert.DoesNotContain(ready.GetProperty("engines").EnumerateArray(), e => e.GetProperty("name").GetString() == "kokoro");

        // Not the model's fault: it is not marked broken, so it loads once the right library is installed.
        (int exit, string stdout, _) = await CliRunner.RunAsync(server.DataDirectory, null, null, "models", "list", "--json", "--data", server.DataDirectory);
        Assert.Equal(0, exit);
        Assert.Equal("unverified", JsonDocument.Parse(stdout).RootElement.GetProperty("installed")[0].GetProperty("health").GetString());

        HttpResponseMessage speech = await http.WithKey(server.ApiKey).PostSpeechAsync(new { model = "tts-1", input = "Still speaking.", voice = "alloy" });
        Assert.True(speech.IsSuccessStatusCode);
    }
}
