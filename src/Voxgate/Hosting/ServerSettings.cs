namespace Voxgate.Hosting;

/// <summary>Where the server listens and keeps its data: command-line options, else VOXGATE_* variables, else defaults.</summary>
public sealed record ServerSettings(string Host, int Port, string DataDirectory)
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;
    public const string DefaultDataDirectory = "./data";

    /// <param name="environment">Reads a variable; the process environment unless a test supplies one.</param>
    public static ServerSettings Resolve(string? host, int? port, string? dataDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string resolvedHost = host ?? environment("VOXGATE_HOST") ?? DefaultHost;
        string? portVariable = environment("VOXGATE_PORT");
        int resolvedPort = port ?? (portVariable is null ? DefaultPort
            : int.TryParse(portVariable, out int fromEnvironment) ? fromEnvironment
            : throw new ArgumentOutOfRangeException(nameof(port), portVariable, "VOXGATE_PORT must be a number."));
        if (resolvedPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), resolvedPort, "The port must be between 0 and 65535.");
        }
        return new ServerSettings(resolvedHost, resolvedPort, ResolveDataDirectory(dataDirectory, environment));
    }

    public static string ResolveDataDirectory(string? dataDirectory, Func<string, string?>? environment = null) =>
        Path.GetFullPath(dataDirectory ?? (environment ?? Environment.GetEnvironmentVariable)("VOXGATE_DATA") ?? DefaultDataDirectory);

    /// <summary>The Kestrel URL; IPv6 literals need brackets.</summary>
    public string Url => Host.Contains(':') && !Host.StartsWith('[') ? $"http://[{Host}]:{Port}" : $"http://{Host}:{Port}";
}
