using System.Net;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>A key revoked by the CLI, another process on the same database, stops at once on the running server.</summary>
[Collection(ApiCollection.Name)]
public class CliRevocationTests(VoxgateFactory factory)
{
    private static readonly object s_speech = new { model = "tts-1", input = "Hello there.", voice = "flite:kal16", response_format = "pcm" };

    [Fact]
    public async Task ARevokedKeyStopsAtOnceEvenWhenTheCliRevokesItFromAnotherProcess()
    {
        string key = await factory.CreateKeyAsync("revoked", "1.00");
        HttpClient client = factory.CreateClient().WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostSpeechAsync(s_speech)).StatusCode);

        (int exit, _, string stderr) = await CliRunner.RunAsync(factory.DataDirectory, null, null,
            "keys", "revoke", key[..12], "--account", "revoked", "--data", factory.DataDirectory);
        Assert.True(exit == 0, stderr);

        HttpResponseMessage refused = await client.PostSpeechAsync(s_speech);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("revoked_api_key", (await refused.ErrorAsync()).GetProperty("code").GetString());
    }
}
