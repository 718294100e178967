using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI;
using OpenAI.Models;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.EndToEnd;

/// <summary>What real clients send that the server once refused: the real process, over loopback, with the official OpenAI SDK.</summary>
public class ClientGapTests(ServerProcess server) : IClassFixture<ServerProcess>
{
    private OpenAIClient Sdk(string key) =>
        new(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });

    [Fact]
    public async Task AModelIdWithAnEncodedSlashIsFoundAsSdksSendIt()
    {
        using HttpClient http = server.Client().WithKey(server.ApiKey);
        HttpResponseMessage raw = await http.GetAsync("v1/models/minimax%2Fminimax-speech-02-hd");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("minimax/minimax-speech-02-hd", (await raw.JsonAsync()).GetProperty("id").GetString());

        OpenAIModel model = (await Sdk(server.ApiKey).GetOpenAIModelClient().GetModelAsync("minimax/minimax-speech-02-hd")).Value;
        Assert.Equal("minimax/minimax-speech-02-hd", model.Id);
        Assert.Equal("minimax", model.OwnedBy);

        HttpResponseMessage missing = await http.GetAsync("v1/models/minimax%2Fno-such-model");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("'minimax/no-such-model'", (await missing.ErrorAsync()).GetProperty("message").GetString());
    }
}
