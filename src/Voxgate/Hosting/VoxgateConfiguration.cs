namespace Voxgate.Hosting;

/// <summary>The configuration files every entry point reads, in order of precedence (later wins).</summary>
public static class VoxgateConfiguration
{
    /// <summary>
    /// Adds the catalog: an operator's <c>&lt;data&gt;/catalog.json</c> when there is one, else the shipped
    /// <c>catalog.json</c> beside the executable. The operator's file replaces the shipped one whole: configuration
    /// merges arrays by index, which would splice one catalog's models into the other's.
    /// </summary>
    public static IConfigurationBuilder AddVoxgateCatalog(this IConfigurationBuilder configuration, string contentRoot, string dataDirectory)
    {
        string operatorCatalog = Path.Combine(dataDirectory, "catalog.json");
        string catalog = File.Exists(operatorCatalog) ? operatorCatalog : Path.Combine(contentRoot, "catalog.json");
        return configuration.AddJsonFile(catalog, optional: false, reloadOnChange: false);
    }

    /// <summary>Configuration for commands that run without the web host (<c>say</c>, <c>voices</c>).</summary>
    public static IConfiguration BuildStandalone(string dataDirectory)
    {
        string root = AppContext.BaseDirectory;
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "appsettings.json"), optional: false)
            .AddVoxgateCatalog(root, dataDirectory)
            .AddEnvironmentVariables()
            .AddVoxgateVariables(dataDirectory)
            .Build();
    }
}
