using System.Diagnostics;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Cli;

/// <summary>The voxgate executable's commands, run as a user runs them.</summary>
public class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("voxgate-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        info.ArgumentList.Add(ServerProcess.ServerDll());
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task SayWritesAPlayableFileOffline()
    {
        (int exit, _, string stderr) = await RunAsync("say", "Hello from the command line.", "--voice", "flite:kal16", "-o", "hello.wav", "--data", _directory);
        Assert.True(exit == 0, stderr);
        ProbeResult probe = await AudioProbe.ProbeFileAsync(Path.Combine(_directory, "hello.wav"), []);
        Assert.Equal(("pcm_s16le", 24000), (probe.Codec, probe.SampleRate));
        Assert.InRange(probe.DecodedDuration.TotalSeconds, 1, 4);
        Assert.Contains("hello.wav", stderr);
    }

    [Fact]
    public async Task SayReadsLongTextFromAFileAndHonoursFormatSpeedAndRate()
    {
        string text = string.Join(" ", Enumerable.Range(1, 30).Select(i => $"This is sentence number {i}."));
        await File.WriteAllTextAsync(Path.Combine(_directory, "chapter.txt"), text);
        (int exit, _, string stderr) = await RunAsync("say", "-f", "chapter.txt", "--voice", "espeak:en-us", "--speed", "1.5",
            "--sample-rate", "16000", "-o", "chapter.ogg", "--data", _directory);
        Assert.True(exit == 0, stderr);
        byte[] ogg = await File.ReadAllBytesAsync(Path.Combine(_directory, "chapter.ogg"));
        Assert.Equal(16000, AudioProbe.OpusInputSampleRate(ogg));
        Assert.Equal("opus", (await AudioProbe.ProbeFileAsync(Path.Combine(_directory, "chapter.ogg"), [])).Codec);
        Assert.Contains("30 segments", stderr);
    }

    [Fact]
    public async Task SayRefusesAnUnknownVoiceWithAClearMessage()
    {
        (int exit, _, string stderr) = await RunAsync("say", "Hi.", "--voice", "nobody", "-o", "x.mp3", "--data", _directory);
        Assert.Equal(2, exit);
        Assert.Contains("The voice 'nobody' does not exist", stderr);
        Assert.False(File.Exists(Path.Combine(_directory, "x.mp3")));
    }

    [Fact]
    public async Task VoicesListsEnginesVoicesAsJson()
    {
        (int exit, string stdout, string stderr) = await RunAsync("voices", "--language", "en", "--json", "--data", _directory);
        Assert.True(exit == 0, stderr);
        JsonElement[] voices = [.. JsonDocument.Parse(stdout).RootElement.EnumerateArray()];
        Assert.Contains(voices, v => v.GetProperty("id").GetString() == "flite:slt"
            && v.GetProperty("aliases").EnumerateArray().Any(a => a.GetString() == "alloy"));
        Assert.All(voices, v => Assert.StartsWith("en", v.GetProperty("language").GetString()));
    }

    [Fact]
    public async Task ServeRefusesAnImpossiblePort()
    {
        (int exit, _, string stderr) = await RunAsync("serve", "--port", "70000", "--data", _directory);
        Assert.Equal(2, exit);
        Assert.Contains("between 0 and 65535", stderr);
    }
}
