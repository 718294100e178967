using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// A client that starts reading a long stream and then stops, as a slow or hostile reader does: the server's writes
/// block once the connection's buffers are full. Disposing it closes the connection.
/// </summary>
public sealed class StalledReader : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;

    private StalledReader(HttpClient http, HttpResponseMessage response, Stream body, long read)
    {
        _http = http;
        _response = response;
        _body = body;
        BytesRead = read;
    }

    public long BytesRead { get; private set; }

    public HttpResponseMessage Response => _response;

    /// <summary>
    /// Asks for about <paramref name="characters"/> characters as 48 kHz stereo WAV (192 KB a second of audio: far more
    /// than any socket buffer holds), reads <paramref name="readFirst"/> bytes, and stops reading.
    /// </summary>
    public static async Task<StalledReader> StartAsync(Uri server, string key, int characters = 4000, int readFirst = 256 * 1024, int seed = 7)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan }.WithKey(key);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
        {
            Content = HttpJson.Body(new
            {
                model = "tts-1", input = LongText.Make(characters, seed), voice = "flite:slt", response_format = "wav", sample_rate = 48000, channels = 2,
            }),
        };
        HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[16 * 1024];
        long read = 0;
        while (read < readFirst)
        {
            int count = await body.ReadAsync(buffer);
            Assert.True(count > 0, "the stream ended before the reader stalled");
            read += count;
        }
        return new StalledReader(http, response, body, read);
    }

    /// <summary>Reads the rest; returns every byte read, or -1 when the server cut the stream.</summary>
    public async Task<long> ReadToEndAsync()
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int count;
            while ((count = await _body.ReadAsync(buffer)) > 0)
            {
                BytesRead += count;
            }
            return BytesRead;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return -1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _body.DisposeAsync();
        _response.Dispose();
        _http.Dispose();
    }
}

/// <summary>What the tests read back from a server process: wallets, usage, the auditor, engine load.</summary>
public static class ServerChecks
{
    public static async Task<JsonElement> WalletAsync(this ServerProcess server, string key)
    {
        using HttpClient client = new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key);
        return await (await client.GetAsync("v1/wallet")).JsonAsync();
    }

    public static async Task<JsonElement> UsageAsync(this ServerProcess server, string key)
    {
        using HttpClient client = new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key);
        return await (await client.GetAsync("v1/usage?days=1")).JsonAsync();
    }

    /// <summary>The money auditor's findings over the server's whole database (none when the books are sound).</summary>
    public static async Task<List<string>> AuditFindingsAsync(this ServerProcess server)
    {
        using HttpClient admin = server.AdminClient();
        JsonElement audit = await (await admin.GetAsync("admin/audit")).JsonAsync();
        return [.. audit.GetProperty("findings").EnumerateArray().Select(f => f.ToString())];
    }
}
