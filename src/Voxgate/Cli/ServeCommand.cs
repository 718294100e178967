using System.CommandLine;
using Voxgate.Hosting;

namespace Voxgate.Cli;

/// <summary><c>voxgate serve</c>: runs the HTTP server until SIGINT/SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = $"TCP port (default {ServerSettings.DefaultPort}, or VOXGATE_PORT)." };
        var host = new Option<string?>("--host") { Description = $"Address to listen on (default {ServerSettings.DefaultHost}, or VOXGATE_HOST)." };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("serve", "Serve the HTTP API.") { port, host, data };
        // Anything else (--environment=..., --Logging:LogLevel:Default=Debug) is host configuration.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            ServerSettings settings;
            try
            {
                settings = ServerSettings.Resolve(parse.GetValue(host), parse.GetValue(port), parse.GetValue(data));
            }
            catch (ArgumentOutOfRangeException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
            await using WebApplication app = VoxgateServer.Build([.. parse.UnmatchedTokens], settings);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
