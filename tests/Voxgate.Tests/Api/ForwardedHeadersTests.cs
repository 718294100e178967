using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>Download links behind a proxy that terminates TLS: the proxy's X-Forwarded-Proto counts only when trusted.</summary>
public class ForwardedHeadersTests
{
    private sealed class BehindProxyFactory : VoxgateFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Proxy:TrustForwardedHeaders", "true")];
    }

    private static async Task<string> DownloadLinkAsync(VoxgateFactory factory)
    {
        HttpClient client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var api = new MiniMaxApi(client);
        long fileId = MiniMaxApi.Ok(await api.UploadAsync("note.txt", MiniMaxApi.Utf8("Hello there."))).GetProperty("file").GetProperty("file_id").GetInt64();
        JsonElement file = MiniMaxApi.Ok(await api.GetAsync($"files/retrieve?file_id={fileId}")).GetProperty("file");
        return file.GetProperty("download_url").GetString()!;
    }

    [Fact]
    public async Task ATrustedProxysSchemeIsTheLinksAndAnUntrustedOneIsIgnored()
    {
        using var behindProxy = new BehindProxyFactory();
        Assert.StartsWith("https://", await DownloadLinkAsync(behindProxy));

        using var direct = new VoxgateFactory();
        Assert.StartsWith("http://", await DownloadLinkAsync(direct));
    }
}
