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
    ];

    /// <summary>
    /// Adds the mapped variables that are set, and the data directory every command resolved
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
        return configuration.AddInMemoryCollection(settings);
    }
}
