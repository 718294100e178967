using System.Security.Cryptography;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

/// <summary>
/// <c>voxgate models pull|add|list|verify|remove</c> as a user runs them, against a local server playing the model
/// release page (no model can be downloaded here), with the tiny test models.
/// </summary>
public sealed class ModelInstallTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("voxgate-models-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("voxgate-model-src-").FullName;
    private readonly ArchiveServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_work, recursive: true);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        CliRunner.RunAsync(_work, null, null, [.. arguments, "--data", _data]);

    /// <summary>Publishes a Kokoro archive and a models.json (the operator's list, in the data directory) naming it.</summary>
    private async Task<byte[]> PublishKokoroAsync(string? sha256Override = null)
    {
        byte[] archive = await NeuralModels.TarBz2Async(NeuralModels.WriteKokoro(Path.Combine(_work, "kokoro-test")));
        Uri url = _server.Add("tts-models/kokoro-test.tar.bz2", archive);
        await File.WriteAllTextAsync(Path.Combine(_data, "models.json"), JsonSerializer.Serialize(new[]
        {
            new
            {
                id = "kokoro-test", engine = "kokoro", description = "The tiny Kokoro-shaped test model.", license = "Apache-2.0",
                url = url.ToString(), bytes = archive.Length, sha256 = sha256Override ?? Convert.ToHexStringLower(SHA256.HashData(archive)),
            },
        }));
        return archive;
    }

    private async Task<JsonElement> InstalledAsync()
    {
        (int exit, string stdout, string stderr) = await RunAsync("models", "list", "--json");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("installed");
    }

    [Fact]
    public async Task PullResumesAnInterruptedDownloadChecksItAndInstallsAVerifiedModel()
    {
        byte[] archive = await PublishKokoroAsync();
        _server.CutOnce("tts-models/kokoro-test.tar.bz2", archive.Length / 2);

        (int interrupted, _, string why) = await RunAsync("models", "pull", "kokoro-test");
        Assert.Equal(2, interrupted);
        Assert.False(string.IsNullOrWhiteSpace(why));
        string part = Path.Combine(_data, "models", ".downloads", "kokoro-test.tar.bz2.part");
        Assert.True(File.Exists(part), why);
        Assert.Equal(archive.Length / 2, new FileInfo(part).Length);

        (int exit, string stdout, string stderr) = await RunAsync("models", "pull", "kokoro-test");
        Assert.True(exit == 0, stderr);
        Assert.Contains("kokoro-test: installed and verified", stdout);
        Assert.Contains(_server.Requests, r => r.Range == $"bytes={archive.Length / 2}-"); // resumed, not restarted
        Assert.False(File.Exists(part));

        JsonElement model = Assert.Single((await InstalledAsync()).EnumerateArray());
        Assert.Equal(("kokoro-test", "kokoro", "kokoro", "verified", 4),
            (model.GetProperty("id").GetString(), model.GetProperty("engine").GetString(), model.GetProperty("kind").GetString(),
             model.GetProperty("health").GetString(), model.GetProperty("speakers").GetInt32()));
        Assert.Contains("kokoro:af_heart", model.GetProperty("voices").EnumerateArray().Select(v => v.GetString()));

        (int again, _, string already) = await RunAsync("models", "pull", "kokoro-test");
        Assert.Equal(2, again);
        Assert.Contains("already installed", already);
    }

    [Fact]
    public async Task PullInstallsAZipVoiceArchiveWithItsVocoderFetchedBesideIt()
    {
        // As published: the model's archive without a vocoder, and Vocos as a file of its own (models.json's "extra").
        string folder = NeuralModels.ZipVoice(Path.Combine(_work, "zipvoice-test"));
        byte[] vocoder = await File.ReadAllBytesAsync(Path.Combine(folder, "vocos_24khz.onnx"));
        File.Delete(Path.Combine(folder, "vocos_24khz.onnx"));
        Uri archive = _server.Add("tts-models/zipvoice-test.tar.bz2", await NeuralModels.TarBz2Async(folder));
        Uri vocos = _server.Add("vocoder-models/vocos_24khz.onnx", vocoder);
        await File.WriteAllTextAsync(Path.Combine(_data, "models.json"), JsonSerializer.Serialize(new[]
        {
            new
            {
                id = "zipvoice-test", engine = "zipvoice", description = "The tiny ZipVoice-shaped test model.", url = archive.ToString(),
                extra = new[] { new { url = vocos.ToString(), file = "vocos_24khz.onnx" } },
            },
        }));

        (int exit, string stdout, string stderr) = await RunAsync("models", "pull", "zipvoice-test");
        Assert.True(exit == 0, stderr);
        Assert.Contains("zipvoice-test: installed and verified (zipvoice, voices zipvoice:clone)", stdout);
        JsonElement model = Assert.Single((await InstalledAsync()).EnumerateArray());
        Assert.Equal(("zipvoice", "verified"), (model.GetProperty("kind").GetString(), model.GetProperty("health").GetString()));
    }

    [Fact]
    public void TheShippedListKnowsTheCloningModelsAndZipVoicesVocoder()
    {
        IReadOnlyList<Voxgate.Speech.Models.KnownModel> known = Voxgate.Speech.Models.KnownModel.Load(Path.Combine(AppContext.BaseDirectory, "models.json"));
        Voxgate.Speech.Models.KnownModel zipVoice = Assert.Single(known, k => k.Engine == "zipvoice");
        Assert.Equal("https://github.com/k2-fsa/sherpa-onnx/releases/download/tts-models/sherpa-onnx-zipvoice-distill-int8-zh-en-emilia.tar.bz2", zipVoice.Url);
        Assert.Equal("vocos_24khz.onnx", Assert.Single(zipVoice.Extra).File);
        Voxgate.Speech.Models.KnownModel pocket = Assert.Single(known, k => k.Engine == "pocket-tts");
        Assert.Equal("https://github.com/k2-fsa/sherpa-onnx/releases/download/tts-models/sherpa-onnx-pocket-tts-int8-2026-01-26.tar.bz2", pocket.Url);
    }

    [Fact]
    public async Task AChecksumMismatchDeletesTheDownloadAndInstallsNothing()
    {
        await PublishKokoroAsync(sha256Override: new string('0', 64));

        (int exit, _, string stderr) = await RunAsync("models", "pull", "kokoro-test");

        Assert.Equal(2, exit);
        Assert.Contains("is not the published 0000", stderr);
        Assert.Empty((await InstalledAsync()).EnumerateArray());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models", ".downloads")));
    }

    [Fact]
    public async Task AddInstallsFromAnArchiveOrAFolderAndRemoveDeletes()
    {
        string kokoro = NeuralModels.WriteKokoro(Path.Combine(_work, "kokoro-offline"));
        await File.WriteAllBytesAsync(Path.Combine(_work, "kokoro-offline.tar.bz2"), await NeuralModels.TarBz2Async(kokoro));
        string piper = NeuralModels.WritePiper(Path.Combine(_work, "piper-folder"));

        (int fromArchive, string archiveOut, string archiveErr) = await RunAsync("models", "add", Path.Combine(_work, "kokoro-offline.tar.bz2"));
        (int fromFolder, string folderOut, string folderErr) = await RunAsync("models", "add", piper, "--id", "piper-test");

        Assert.True(fromArchive == 0, archiveErr);
        Assert.Contains("kokoro-offline: installed and verified (kokoro", archiveOut);
        Assert.True(fromFolder == 0, folderErr);
        Assert.Contains("piper-test: installed and verified (vits, voices piper-test:default)", folderOut);
        Assert.Equal(["kokoro-offline", "piper-test"], (await InstalledAsync()).EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        Assert.Equal(0, (await RunAsync("models", "remove", "kokoro-offline")).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_data, "models", "kokoro-offline")));
        Assert.Equal(["piper-test"], (await InstalledAsync()).EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        (int missing, _, string notThere) = await RunAsync("models", "add", Path.Combine(_work, "no-such-model.tar.bz2"));
        Assert.Equal(2, missing);
        Assert.Contains("does not exist", notThere);
    }

    [Fact]
    public async Task AModelThatCrashesItsTrialLoadIsMarkedBrokenWithTheReason()
    {
        string piper = NeuralModels.WritePiper(Path.Combine(_work, "piper-folder"));
        Assert.Equal(0, (await RunAsync("models", "add", piper, "--id", "fragile")).ExitCode);
        NeuralModels.Corrupt(Path.Combine(_data, "models", "fragile", "model.onnx"));
        Assert.Equal("unverified", Assert.Single((await InstalledAsync()).EnumerateArray()).GetProperty("health").GetString());

        (int exit, _, string stderr) = await RunAsync("models", "verify", "fragile");

        Assert.Equal(1, exit);
        Assert.Contains("crashed the verifying process (exit code 134, SIGABRT)", stderr);
        JsonElement model = Assert.Single((await InstalledAsync()).EnumerateArray());
        Assert.Equal("broken", model.GetProperty("health").GetString());
        Assert.Contains("No Op registered for RangQ", model.GetProperty("problem").GetString()); // ONNX Runtime's own words, via stderr
    }

    [Fact]
    public async Task AMalformedModelFileIsRefusedInOneLineNamingIt()
    {
        string folder = NeuralModels.WriteKokoroWithAnImpossibleLength(Path.Combine(_work, "impossible"));

        foreach (string path in new[] { folder, Path.Combine(folder, "model.onnx") })
        {
            (int exit, string stdout, string stderr) = await RunAsync("models", "add", path, "--id", "impossible");

            Assert.True(exit == 2, $"exit {exit}: {stdout}{stderr}");
            string refusal = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("'model.onnx' is not a well-formed ONNX model: a field of ", refusal); // 2^62, in the user's digit grouping
            Assert.Contains(" bytes runs past the end of the file", refusal);
        }
        Assert.Empty((await InstalledAsync()).EnumerateArray());
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_data, "models"), ".staging-*"));
    }

    [Fact]
    public async Task AnArchiveWithoutAModelIsRefusedWithTheReason()
    {
        string folder = Path.Combine(_work, "not-a-model");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "readme.txt"), "nothing to see");
        (int exit, _, string stderr) = await RunAsync("models", "add", folder);
        Assert.Equal(2, exit);
        Assert.Contains("No .onnx model", stderr);
        Assert.Empty((await InstalledAsync()).EnumerateArray());
    }
}
