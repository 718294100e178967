using System.Diagnostics;

namespace Voxgate.Tests.Support;

/// <summary>Runs the voxgate executable as a user does, and collects what it printed.</summary>
public static class CliRunner
{
    private static readonly TimeSpan s_longestRun = TimeSpan.FromMinutes(10);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, string? stdin,
        IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.Environment["DOTNET_TieredPGO"] = "0"; // a command lives a second: see ServerProcess
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
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
        try
        {
            // A command that should end and does not (a server that started when it should have refused to) fails
            // its test instead of hanging the run, and is not left behind.
            await process.WaitForExitAsync().WaitAsync(s_longestRun);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"voxgate {string.Join(' ', arguments)} still ran after {s_longestRun}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
