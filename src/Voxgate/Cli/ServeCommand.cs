using System.CommandLine;
using Microsoft.Data.Sqlite;
using Voxgate.Gateway.Storage;
using Voxgate.Hosting;

namespace Voxgate.Cli;

/// <summary><c>voxgate serve</c>: runs the HTTP server until SIGINT/SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = $"TCP port (default {ServerSettings.DefaultPort}, or VOXGATE_PORT)." };
        var host = new Option<string?>("--host")
        {
            Description = $"Address to listen on, or unix:PATH for a Unix socket (default {ServerSettings.DefaultHost}, or VOXGATE_HOST).",
        };
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
            if ((WritableDataDirectory.Problem(settings.DataDirectory) ?? settings.ClaimUnixSocket()) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 1;
            }
            await using WebApplication? app = await StartAsync([.. parse.UnmatchedTokens], settings, cancellationToken);
            if (app is null)
            {
                return 1;
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Builds and starts the server. What the check up front cannot foresee (a database SQLite cannot open, the disk
    /// filling up, a port in use) still ends in one line on stderr and null, not an unhandled exception and an abort.
    /// </summary>
    private static async Task<WebApplication?> StartAsync(string[] hostArguments, ServerSettings settings, CancellationToken cancellationToken)
    {
        WebApplication? app = null;
        try
        {
            app = VoxgateServer.Build(hostArguments, settings);
            if (app.Services.GetRequiredService<IDatabase>() is { Shared: false } local)
            {
                // A local database that cannot be opened stops the start here, in one line, before the host would log it.
                await local.MigrateAsync(cancellationToken);
            }
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch (InvalidSettingsException invalid)
        {
            await Console.Error.WriteLineAsync(invalid.Message);
            return null;
        }
        catch (Exception ex) when (ex is SqliteException or UnauthorizedAccessException or IOException)
        {
            string? location = app?.Services.GetService<IDatabase>()?.Location;
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            await Console.Error.WriteLineAsync(StartFailure(ex, settings.DataDirectory, location));
            return null;
        }
    }

    private static string StartFailure(Exception ex, string dataDirectory, string? database) => ex switch
    {
        SqliteException sqlite => $"The database {database ?? new StorageOptions { DataDirectory = dataDirectory }.DatabasePath} cannot be used ({WritableDataDirectory.Reason(sqlite)}). "
            + $"Check that it is Voxgate's database and that it and {dataDirectory} are writable for this user, or pass --data (or set VOXGATE_DATA) to another directory.",
        _ => $"The server cannot start: {WritableDataDirectory.Reason(ex)} (data directory {dataDirectory}).",
    };
}
