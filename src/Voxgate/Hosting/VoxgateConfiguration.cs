namespace Voxgate.Hosting;

/// <summary>The configuration files every entry point reads, in order of precedence (later wins).</summary>
public static class VoxgateConfiguration
{
    /// <summary>
    /// Adds the shipped catalog (<c>catalog.json</c> beside the executable) and, if present, an operator's
    /// <c>&lt;data&gt;/catalog.json</c>, whose models and aliases are merged over it.
    /// </summary>
    public static IConfigurationBuilder AddVoxgateCatalog(this IConfigurationBuilder configuration, string contentRoot, string dataDirectory)
    {
        configuration.AddJsonFile(Path.Combine(contentRoot, "catalog.json"), optional: false, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(dataDirectory, "catalog.json"), optional: true, reloadOnChange: false);
        return configuration;
    }

    /// <summary>Configuration for commands that run without the web host (<c>say</c>, <c>voices</c>).</summary>
    public static IConfiguration BuildStandalone(string dataDirectory)
    {
        string root = AppContext.BaseDirectory;
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "appsettings.json"), optional: false)
            .AddVoxgateCatalog(root, dataDirectory)
            .AddEnvironmentVariables()
            .Build();
    }
}
