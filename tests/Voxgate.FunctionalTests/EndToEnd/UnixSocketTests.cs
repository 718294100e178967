using Voxgate.Tests.Support;

namespace Voxgate.Tests.EndToEnd;

/// <summary>The real server listening on a Unix socket (<c>VOXGATE_HOST=unix:PATH</c>), as a node behind nginx does.</summary>
public class UnixSocketTests(UnixSocketTests.SocketServer server) : IClassFixture<UnixSocketTests.SocketServer>
{
    public sealed class SocketServer : ServerProcess
    {
        protected override bool ListensOnUnixSocket => true;
    }

    [Fact]
    public async Task TheServerAnswersOnItsSocketAndTakesItBackAfterAKill()
    {
        string socket = server.UnixSocket!;
        Assert.Contains($"listening on http://unix:{socket}", server.Output);
        await AssertHealthyAsync(socket);

        // SIGKILL leaves the socket file behind; the next start removes it instead of failing with "address in use".
        await server.KillAsync();
        Assert.True(File.Exists(socket), "a killed server leaves its socket file");
        await server.RestartAsync();
        await AssertHealthyAsync(socket);
    }

    private static async Task AssertHealthyAsync(string socket)
    {
        using HttpClient http = UnixSocketHttp.Client(socket);
        HttpResponseMessage health = await http.GetAsync("healthz");
        Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync());
        Assert.Equal("ok", (await health.JsonAsync()).GetProperty("status").GetString());
    }
}
