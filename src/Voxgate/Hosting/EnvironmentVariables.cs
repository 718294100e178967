namespace Voxgate.Hosting;

/// <summary>The VOXGATE_* variables that name settings outside the usual Voxgate__Section__Key scheme.</summary>
public static class EnvironmentVariables
{
    private static readonly (string Variable, string Setting)[] s_map =
    [
        ("VOXGATE_AUTH", "Voxgate:Auth:Mode"),
        ("VOXGATE_ADMIN_KEY", "Voxgate:Auth:AdminKey"),
        ("VOXGATE_MASTER_KEY", "Voxgate:ProviderKeys:MasterKey"),
        ("VOXGATE_SHERPA_DIR", "Voxgate:Models:LibraryDirectory"),
        ("VOXGATE_DATABASE", "Voxgate:Storage:Database"),
        ("VOXGATE_REDIS", "Voxgate:Redis:Configuration"),
        ("VOXGATE_REDIS_WHEN_UNREACHABLE", "Voxgate:Redis:WhenUnreachable"),
        ("VOXGATE_FILES", "Voxgate:Files:Directory"),
        ("VOXGATE_NODE", "Voxgate:Node"),
    ];

    /// <summary>
    /// Settings given on the command line (<c>--database</c>, <c>--redis</c>, <c>--files</c>, which every command takes):
    /// they win over the variables. Set once, by the command line, before anything reads configuration.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CommandLine { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// Adds the mapped variables that are set (and the command line's settings over them), and the data directory every command resolved
    /// (<c>--data</c>, else <c>VOXGATE_DATA</c>, else ./data) as <c>Voxgate:Storage:DataDirectory</c>, with the
    /// installed models under it (<c>Voxgate:Models:Directory</c>).
    /// </summary>
    public static IConfigurationBuilder AddVoxgateVariables(this IConfigurationBuilder configuration, string dataDirectory,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var settings = new Dictionary<string, string?>
        {
            ["Voxgate:Storage:DataDirectory"] = dataDirectory,
            ["Voxgate:Models:Directory"] = Path.Combine(dataDirectory, "models"),
            ["Voxgate:Streaming:SpillDirectory"] = Path.Combine(dataDirectory, "tmp"),
        };
        foreach ((string variable, string setting) in s_map)
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                settings[setting] = value;
            }
        }
        foreach ((string setting, string value) in CommandLine)
        {
            settings[setting] = value;
        }
        return configuration.AddInMemoryCollection(settings);
    }
}
