namespace Voxgate.Hosting;

/// <summary>Where the server listens and keeps its data: command-line options, else VOXGATE_* variables, else defaults.</summary>
public sealed record ServerSettings(string Host, int Port, string DataDirectory)
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;
    public const string DefaultDataDirectory = "./data";

    public static ServerSettings Resolve(string? host, int? port, string? dataDirectory)
    {
        string resolvedHost = host ?? Environment.GetEnvironmentVariable("VOXGATE_HOST") ?? DefaultHost;
        int resolvedPort = port ?? (int.TryParse(Environment.GetEnvironmentVariable("VOXGATE_PORT"), out int fromEnv) ? fromEnv : DefaultPort);
        if (resolvedPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), resolvedPort, "The port must be between 0 and 65535.");
        }
        return new ServerSettings(resolvedHost, resolvedPort, ResolveDataDirectory(dataDirectory));
    }

    public static string ResolveDataDirectory(string? dataDirectory) =>
        Path.GetFullPath(dataDirectory ?? Environment.GetEnvironmentVariable("VOXGATE_DATA") ?? DefaultDataDirectory);

    /// <summary>The Kestrel URL; IPv6 literals need brackets.</summary>
    public string Url => Host.Contains(':') && !Host.StartsWith('[') ? $"http://[{Host}]:{Port}" : $"http://{Host}:{Port}";
}
