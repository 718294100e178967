using System.Diagnostics;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Cli;

/// <summary>The voxgate executable's commands, run as a user runs them.</summary>
public class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("voxgate-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) => RunWithInputAsync(null, arguments);

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(string? stdin, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        info.Environment["Voxgate__Upstreams__minimax__Kind"] = "MiniMax";
        info.ArgumentList.Add(ServerProcess.ServerDll());
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
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
    public async Task TheGatewayCommandsManageAccountsKeysWalletsAndProviderKeys()
    {
        string data = Path.Combine(_directory, "data");
        Assert.Equal(0, (await RunAsync("accounts", "create", "acme", "--rpm", "30", "--data", data)).ExitCode);
        (int duplicate, _, string duplicateError) = await RunAsync("accounts", "create", "acme", "--data", data);
        Assert.Equal(2, duplicate);
        Assert.Contains("already exists", duplicateError);

        (int created, string key, string createdInfo) = await RunAsync("keys", "create", "--account", "acme", "--name", "ci", "--cpm", "5000", "--data", data);
        Assert.Equal(0, created);
        Assert.Matches("^sk-vg-[0-9A-Za-z]{43}$", key.Trim());
        Assert.Contains("shown once", createdInfo);
        (_, string listed, _) = await RunAsync("keys", "list", "--account", "acme", "--data", data);
        Assert.Contains(key.Trim()[..12], listed);
        Assert.DoesNotContain(key.Trim(), listed);
        Assert.Contains("5000", listed);

        (int topped, string topUp, _) = await RunAsync("wallet", "topup", "--account", "acme", "--amount", "10.00", "--data", data);
        Assert.Equal(0, topped);
        Assert.Contains("+$10.00, fee -$0.50; balance $9.50", topUp);
        Assert.Equal(2, (await RunAsync("wallet", "topup", "--account", "acme", "--amount", "ten", "--data", data)).ExitCode);
        (_, string wallet, _) = await RunAsync("wallet", "show", "--account", "acme", "--data", data);
        Assert.Contains("balance $9.50", wallet);
        Assert.Contains("fee", wallet);

        (int attached, _, string attachError) = await RunWithInputAsync("sk-my-own-minimax-key-4242\n", "byok", "set", "--account", "acme", "--provider", "minimax", "--data", data);
        Assert.True(attached == 0, attachError);
        (_, string providerKeys, _) = await RunAsync("byok", "list", "--account", "acme", "--data", data);
        Assert.Contains("...4242", providerKeys);
        Assert.DoesNotContain("sk-my-own", providerKeys);

        Assert.Equal(0, (await RunAsync("keys", "revoke", key.Trim()[..12], "--data", data)).ExitCode);
        (_, string revoked, _) = await RunAsync("keys", "list", "--account", "acme", "--data", data);
        Assert.Contains("revoked", revoked);
        (int usage, string usageTable, _) = await RunAsync("usage", "--models", "--data", data);
        Assert.Equal(0, usage);
        Assert.Contains("MODEL", usageTable);
    }

    [Fact]
    public async Task ServeRefusesAnImpossiblePort()
    {
        (int exit, _, string stderr) = await RunAsync("serve", "--port", "70000", "--data", _directory);
        Assert.Equal(2, exit);
        Assert.Contains("between 0 and 65535", stderr);
    }
}
