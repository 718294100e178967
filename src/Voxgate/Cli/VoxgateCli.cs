using System.CommandLine;
using Voxgate.Hosting;

namespace Voxgate.Cli;

/// <summary>The <c>voxgate</c> command line: <c>serve</c>, <c>say</c>, <c>voices</c>, <c>watermark</c>, <c>models</c>, <c>storage</c>, and the gateway's commands.</summary>
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
            StorageCommand.Create(),
        };
        foreach (Command command in GatewayCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        (Option<string?> Option, string Setting)[] deployment =
        [
            (new("--database") { Description = "sqlite:PATH, postgres://user:password@host:port/db, or postgres:<Npgsql connection string> (or VOXGATE_DATABASE; default SQLite in the data directory).", Recursive = true }, "Voxgate:Storage:Database"),
            (new("--redis") { Description = "host:port of the Redis that holds the limits every node shares (or VOXGATE_REDIS; default: limits per node).", Recursive = true }, "Voxgate:Redis:Configuration"),
            (new("--files") { Description = "The directory of stored files, shared by every node (or VOXGATE_FILES; default <data>/files).", Recursive = true }, "Voxgate:Files:Directory"),
        ];
        foreach ((Option<string?> option, _) in deployment)
        {
            root.Options.Add(option);
        }
        ParseResult parse = root.Parse(args);
        EnvironmentVariables.CommandLine = deployment
            .Where(d => parse.GetValue(d.Option) is { Length: > 0 })
            .ToDictionary(d => d.Setting, d => parse.GetValue(d.Option)!);
        // Exceptions are handled by each command; the test host's HostAbortedException must pass through untouched.
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (InvalidSettingsException invalid)
        {
            await Console.Error.WriteLineAsync(invalid.Message);
            return 1;
        }
    }

    /// <summary>The <c>--data</c> option every command takes (default ./data, or VOXGATE_DATA).</summary>
    public static Option<string?> DataOption() => new("--data")
    {
        Description = "Data directory (default ./data, or VOXGATE_DATA).",
    };
}
