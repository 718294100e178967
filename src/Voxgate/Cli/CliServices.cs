using Voxgate.Gateway;
using Voxgate.Gateway.Storage;
using Voxgate.Hosting;
using Voxgate.Speech;

namespace Voxgate.Cli;

/// <summary>
/// The services for commands that run without a server (speech, and the gateway's store in the data directory),
/// logging warnings and errors to stderr.
/// </summary>
public static class CliServices
{
    public static ServiceProvider Create(string? dataDirectory)
    {
        IConfiguration configuration = VoxgateConfiguration.BuildStandalone(ServerSettings.ResolveDataDirectory(dataDirectory));
        var services = new ServiceCollection();
        services.AddLogging(ConfigureLogging);
        services.AddVoxgateSpeech(configuration);
        services.AddVoxgateGateway(configuration);
        services.AddVoxgateStorage(configuration);
        services.AddSingleton<Speech.Models.IModelVerifier, Models.ChildProcessModelVerifier>();
        ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            // As the server does at start: every bad setting named at once, before the command does anything.
            InvalidSettingsException.ThrowIfAny(provider);
        }
        catch (InvalidSettingsException)
        {
            provider.Dispose();
            throw;
        }
        return provider;
    }

    /// <summary>Loggers alone, as the commands' services log: for a command that needs no services (warnings and errors, on stderr).</summary>
    public static ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(ConfigureLogging);

    private static void ConfigureLogging(ILoggingBuilder logging) => logging
        .SetMinimumLevel(LogLevel.Warning)
        .AddSimpleConsole(console => console.SingleLine = true)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

    /// <summary>The services of a command that works on the database: migrated, and the master key loaded.</summary>
    public static async Task<ServiceProvider> CreateAsync(string? dataDirectory, CancellationToken cancellationToken = default)
    {
        ServiceProvider services = Create(dataDirectory);
        await services.GetRequiredService<IDatabase>().MigrateAsync(cancellationToken);
        await services.GetRequiredService<Gateway.Security.MasterKey>().LoadAsync(cancellationToken);
        return services;
    }

    /// <summary>The same, with the installed neural models loaded (verified first in a child process when new).</summary>
    public static async Task<ServiceProvider> CreateWithModelsAsync(string? dataDirectory, CancellationToken cancellationToken)
    {
        ServiceProvider services = Create(dataDirectory);
        await services.GetRequiredService<Speech.Engines.Sherpa.SherpaModels>().ReloadAsync(cancellationToken);
        return services;
    }
}
