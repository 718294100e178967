using System.Net.Sockets;
using Voxgate.Hosting;

namespace Voxgate.Tests.Cli;

public class ServerSettingsTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void DefaultsAreLoopback8080AndDataInTheWorkingDirectory()
    {
        ServerSettings settings = ServerSettings.Resolve(null, null, null, Environment());
        Assert.Equal(("127.0.0.1", 8080), (settings.Host, settings.Port));
        Assert.Equal(Path.GetFullPath("./data"), settings.DataDirectory);
        Assert.Equal("http://127.0.0.1:8080", settings.Url);
    }

    [Fact]
    public void EnvironmentVariablesApplyAndOptionsOverrideThem()
    {
        Func<string, string?> environment = Environment(("VOXGATE_PORT", "9001"), ("VOXGATE_HOST", "::1"), ("VOXGATE_DATA", "/srv/voxgate"));
        ServerSettings fromEnvironment = ServerSettings.Resolve(null, null, null, environment);
        Assert.Equal(("::1", 9001, "/srv/voxgate"), (fromEnvironment.Host, fromEnvironment.Port, fromEnvironment.DataDirectory));
        Assert.Equal("http://[::1]:9001", fromEnvironment.Url);

        ServerSettings fromOptions = ServerSettings.Resolve("0.0.0.0", 9002, "/tmp/other", environment);
        Assert.Equal(("0.0.0.0", 9002, "/tmp/other"), (fromOptions.Host, fromOptions.Port, fromOptions.DataDirectory));
    }

    [Theory]
    [InlineData("eighty")]
    [InlineData("70000")]
    public void ABadPortVariableIsRefused(string value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ServerSettings.Resolve(null, null, null, Environment(("VOXGATE_PORT", value))));
    }

    [Fact]
    public void AUnixHostListensOnThatSocketWhateverThePort()
    {
        ServerSettings settings = ServerSettings.Resolve("unix:/run/voxgate/node-1.sock", 9000, null, Environment());
        Assert.True(settings.IsUnixSocket);
        Assert.Equal("/run/voxgate/node-1.sock", settings.UnixSocketPath);
        Assert.Equal("http://unix:/run/voxgate/node-1.sock", settings.Url);

        ServerSettings fromEnvironment = ServerSettings.Resolve(null, null, null, Environment(("VOXGATE_HOST", "unix:/srv/node.sock"), ("VOXGATE_PORT", "9001")));
        Assert.Equal("http://unix:/srv/node.sock", fromEnvironment.Url);

        // A relative path is taken from the working directory, as the data directory is.
        ServerSettings relative = ServerSettings.Resolve("unix:cluster/node.sock", null, null, Environment());
        Assert.Equal($"http://unix:{Path.GetFullPath("cluster/node.sock")}", relative.Url);
    }

    [Fact]
    public void AUnixHostWithoutAUsablePathIsRefused()
    {
        // sockaddr_un holds 107 bytes of path on Linux; a longer one would fail deep in Kestrel's bind.
        foreach (string host in (string[])["unix:", $"unix:/tmp/{new string('s', 100)}/node.sock"])
        {
            var refused = Assert.Throws<ArgumentOutOfRangeException>(() => ServerSettings.Resolve(host, null, null, Environment()));
            Assert.Contains("unix", refused.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void ASocketAKilledServerLeftIsRemovedBeforeListening()
    {
        string directory = Directory.CreateTempSubdirectory("voxgate-socket-").FullName;
        try
        {
            string path = Path.Combine(directory, "node.sock");
            // Bound but not listening: the file exists and refuses connections, as after a SIGKILL.
            using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                stale.Bind(new UnixDomainSocketEndPoint(path));
                Assert.True(File.Exists(path));
                Assert.Null(ServerSettings.Resolve($"unix:{path}", null, directory, Environment()).ClaimUnixSocket());
                Assert.False(File.Exists(path));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ASocketInUseAFileWithContentsOrADirectoryIsLeftAloneAndReported()
    {
        string directory = Directory.CreateTempSubdirectory("voxgate-socket-").FullName;
        try
        {
            string live = Path.Combine(directory, "live.sock");
            using var listening = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listening.Bind(new UnixDomainSocketEndPoint(live));
            listening.Listen();
            Assert.Contains("Another server is listening", Claim(live));
            Assert.True(File.Exists(live));

            string file = Path.Combine(directory, "notes.txt");
            File.WriteAllText(file, "not a socket");
            Assert.Contains("not a socket", Claim(file));
            Assert.Equal("not a socket", File.ReadAllText(file));

            Assert.Contains("is a directory", Claim(directory));
            Assert.Contains("does not exist", Claim(Path.Combine(directory, "missing", "node.sock")));
            Assert.Null(Claim(Path.Combine(directory, "new.sock")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        static string? Claim(string path) => ServerSettings.Resolve($"unix:{path}", null, "/tmp", Environment()).ClaimUnixSocket();
    }

    [Fact]
    public void ATcpHostClaimsNoSocket() =>
        Assert.Null(ServerSettings.Resolve("127.0.0.1", 0, null, Environment()).ClaimUnixSocket());
}
