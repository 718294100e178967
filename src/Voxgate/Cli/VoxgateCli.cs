using System.CommandLine;

namespace Voxgate.Cli;

/// <summary>The <c>voxgate</c> command line: <c>serve</c>, <c>say</c>, <c>voices</c>, <c>watermark</c>, and the gateway's commands.</summary>
public static class VoxgateCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Bare host options (voxgate --port 9000, or the --environment=... a test host passes) mean "serve".
        if (args.Length > 0 && args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version"))
        {
            args = ["serve", .. args];
        }
        var root = new RootCommand("Voxgate: self-hosted speech synthesis behind an OpenAI-compatible API.")
        {
            ServeCommand.Create(),
            SayCommand.Create(),
            VoicesCommand.Create(),
            WatermarkCommand.Create(),
            ModelsCommand.Create(),
        };
        foreach (Command command in GatewayCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        // Exceptions are handled by each command; the test host's HostAbortedException must pass through untouched.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>The <c>--data</c> option every command takes (default ./data, or VOXGATE_DATA).</summary>
    public static Option<string?> DataOption() => new("--data")
    {
        Description = "Data directory (default ./data, or VOXGATE_DATA).",
    };
}
