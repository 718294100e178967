using System.Net.Sockets;
using System.Text;

namespace Voxgate.Hosting;

/// <summary>Where the server listens and keeps its data: command-line options, else VOXGATE_* variables, else defaults.</summary>
/// <param name="Host">An address or host name for TCP, or <c>unix:PATH</c> for a Unix socket (the port is then ignored).</param>
public sealed record ServerSettings(string Host, int Port, string DataDirectory)
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;
    public const string DefaultDataDirectory = "./data";

    /// <summary>How a host names a Unix socket: <c>unix:/run/voxgate/node.sock</c>.</summary>
    public const string UnixSocketPrefix = "unix:";

    /// <summary>sockaddr_un's path on Linux: 108 bytes, the last one the terminating zero.</summary>
    private const int MaxUnixSocketPathBytes = 107;

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
        var settings = new ServerSettings(resolvedHost, resolvedPort, ResolveDataDirectory(dataDirectory, environment));
        if (settings.IsUnixSocket)
        {
            if (string.IsNullOrWhiteSpace(resolvedHost[UnixSocketPrefix.Length..]))
            {
                throw new ArgumentOutOfRangeException(nameof(host), resolvedHost, "unix: needs the socket's path, e.g. unix:/run/voxgate/node.sock.");
            }
            string path = settings.UnixSocketPath;
            if (Encoding.UTF8.GetByteCount(path) > MaxUnixSocketPathBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(host), path,
                    $"A Unix socket's path can be at most {MaxUnixSocketPathBytes} bytes; choose a shorter one.");
            }
        }
        return settings;
    }

    public static string ResolveDataDirectory(string? dataDirectory, Func<string, string?>? environment = null) =>
        Path.GetFullPath(dataDirectory ?? (environment ?? Environment.GetEnvironmentVariable)("VOXGATE_DATA") ?? DefaultDataDirectory);

    public bool IsUnixSocket => Host.StartsWith(UnixSocketPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The socket's absolute path (a relative one is taken from the working directory, as the data directory is).</summary>
    public string UnixSocketPath => IsUnixSocket
        ? Path.GetFullPath(Host[UnixSocketPrefix.Length..])
        : throw new InvalidOperationException($"{Host} is not a Unix socket.");

    /// <summary>The Kestrel URL; IPv6 literals need brackets; a Unix socket is <c>http://unix:/absolute/path</c>.</summary>
    public string Url =>
        IsUnixSocket ? $"http://{UnixSocketPrefix}{UnixSocketPath}"
        : Host.Contains(':') && !Host.StartsWith('[') ? $"http://[{Host}]:{Port}"
        : $"http://{Host}:{Port}";

    /// <summary>
    /// Before listening on a Unix socket: removes the socket file a killed server left behind (binding over it would
    /// fail with "address in use"). Only a file nobody answers on and that holds nothing is removed: a server still
    /// listening there, a directory or a file with contents is reported, in one line, and left alone.
    /// </summary>
    /// <returns>Why the socket cannot be used; null when it can (or the server listens on TCP).</returns>
    public string? ClaimUnixSocket()
    {
        if (!IsUnixSocket)
        {
            return null;
        }
        string path = UnixSocketPath;
        if (Directory.Exists(path))
        {
            return $"The socket path {path} is a directory; pass another --host unix:PATH (or VOXGATE_HOST).";
        }
        if (Path.GetDirectoryName(path) is { } directory && !Directory.Exists(directory))
        {
            return $"The socket's directory {directory} does not exist; create it, or pass another --host unix:PATH (or VOXGATE_HOST).";
        }
        if (!File.Exists(path))
        {
            return null;
        }
        if (new FileInfo(path).Length > 0)
        {
            return $"{path} is a file with contents, not a socket; move it away, or pass another --host unix:PATH (or VOXGATE_HOST).";
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return $"Another server is listening on {path}; stop it, or pass another --host unix:PATH (or VOXGATE_HOST).";
        }
        catch (SocketException refused) when (refused.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // Nobody listens: what a killed server left (an empty file refuses connections the same way).
        }
        catch (SocketException ex)
        {
            return $"The socket {path} cannot be checked ({ex.Message}).";
        }
        try
        {
            File.Delete(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"The stale socket {path} cannot be removed ({ex.Message}).";
        }
    }
}
