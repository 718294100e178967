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
}
