using System.Net.WebSockets;
using System.Text.Json;

namespace Voxgate.Tests.WebSocket;

/// <summary>A MiniMax WebSocket client over <see cref="ClientWebSocket"/>: JSON events out, JSON events in.</summary>
public sealed class MiniMaxSocketClient : IAsyncDisposable
{
    private readonly System.Net.WebSockets.WebSocket _socket;

    private MiniMaxSocketClient(System.Net.WebSockets.WebSocket socket) => _socket = socket;

    public System.Net.WebSockets.WebSocket Socket => _socket;

    /// <summary>A client over a socket opened some other way (an in-process test server's).</summary>
    public static MiniMaxSocketClient Over(System.Net.WebSockets.WebSocket socket) => new(socket);

    public static Uri Address(Uri baseAddress, string path = "minimax/ws/v1/t2a_v2") =>
        new UriBuilder(new Uri(baseAddress, path)) { Scheme = "ws" }.Uri;

    public static async Task<MiniMaxSocketClient> ConnectAsync(Uri baseAddress, string key, string path = "minimax/ws/v1/t2a_v2")
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        await socket.ConnectAsync(Address(baseAddress, path), CancellationToken.None);
        return new MiniMaxSocketClient(socket);
    }

    public Task SendAsync(object message) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendTextAsync(string text) => SendAsync(new Dictionary<string, object> { ["event"] = "task_continue", ["text"] = text });

    /// <summary>The next event; null when the server closed the connection.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var message = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>The next event, which must be <paramref name="name"/> with status 0.</summary>
    public async Task<JsonElement> ExpectAsync(string name)
    {
        JsonElement message = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"closed while waiting for {name}");
        Assert.True(Event(message) == name, $"expected {name}, got {message}");
        Assert.Equal(0, StatusCode(message));
        return message;
    }

    /// <summary>
    /// task_continued events up to the first that completes a segment (its characters are then counted as sent): a
    /// segment's first bytes may go out before the rest of it, in an event that carries no characters.
    /// </summary>
    public async Task<JsonElement> ExpectSpokenAsync()
    {
        JsonElement continued;
        do
        {
            continued = await ExpectAsync("task_continued");
        }
        while (continued.GetProperty("extra_info").GetProperty("usage_characters").GetInt32() == 0);
        return continued;
    }

    public static string Event(JsonElement message) => message.GetProperty("event").GetString()!;

    public static int StatusCode(JsonElement message) => message.GetProperty("base_resp").GetProperty("status_code").GetInt32();

    public static byte[] Audio(JsonElement message) =>
        message.TryGetProperty("data", out JsonElement data) && data.TryGetProperty("audio", out JsonElement audio)
            ? Convert.FromHexString(audio.GetString()!)
            : [];

    /// <summary>The events up to and including task_finished or task_failed (or the close).</summary>
    public async Task<List<JsonElement>> ReceiveUntilEndAsync()
    {
        var events = new List<JsonElement>();
        while (await ReceiveAsync() is { } message)
        {
            events.Add(message);
            if (Event(message) is "task_finished" or "task_failed")
            {
                break;
            }
        }
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", deadline.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The server closed first (after task_failed, say): the in-process test socket reports that as an
                // IOException over a disposed socket rather than a WebSocketException.
            }
        }
        _socket.Dispose();
    }
}

/// <summary>A text as an LLM sends it: a few characters at a time.</summary>
public static class Tokens
{
    public static IEnumerable<string> Of(string text, int size = 4)
    {
        for (int i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
