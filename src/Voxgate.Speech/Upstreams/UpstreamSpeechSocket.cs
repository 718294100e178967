using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Upstreams;

/// <summary>
/// A task on a MiniMax-compatible provider's WebSocket (<c>{BaseUrl}/ws/v1/t2a_v2</c>): opened with the same fields
/// the HTTP relay sends (<see cref="UpstreamSpeechClient"/>), fed text as it arrives, read for audio until
/// <c>task_finished</c>. The provider's refusals become <see cref="UpstreamException"/>s with its code mapped as over HTTP.
/// </summary>
public sealed class UpstreamSpeechSocket : IAsyncDisposable
{
    /// <summary>The largest event read from a provider (hex audio of a long sentence fits easily).</summary>
    private const int MaxEventBytes = 16 * 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly UpstreamRoute _route;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private UpstreamSpeechSocket(ClientWebSocket socket, UpstreamRoute route) => (_socket, _route) = (socket, route);

    /// <summary>Connects, starts the task and waits for <c>task_started</c>.</summary>
    public static async Task<UpstreamSpeechSocket> OpenAsync(SpeechPlan plan, UpstreamRoute route, CancellationToken cancellationToken)
    {
        if (!UpstreamKind.Is(route.Kind, UpstreamKind.MiniMax))
        {
            throw new UpstreamException(UpstreamFailure.Rejected, route.Provider,
                $"The provider '{route.Provider}' is OpenAI-compatible and has no WebSocket speech; ask for it over HTTP with stream: true instead.");
        }
        Dictionary<string, object?> start = MiniMaxSpeechProvider.MiniMaxStreamBody(plan, route);
        start["event"] = "task_start";
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + route.ApiKey);
        socket.Options.CollectHttpResponseDetails = true;
        var upstream = new UpstreamSpeechSocket(socket, route);
        Uri address = new UriBuilder(new Uri(UpstreamSpeechClient.WithTrailingSlash(route.BaseUrl), "ws/v1/t2a_v2"))
        {
            Scheme = route.BaseUrl.Scheme == "https" ? "wss" : "ws",
        }.Uri;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(route.Timeout);
        try
        {
            try
            {
                await socket.ConnectAsync(address, timeout.Token);
            }
            catch (WebSocketException ex) when (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new UpstreamException(UpstreamFailure.Unauthorized, route.Provider, $"The provider '{route.Provider}' refused the key ({(int)socket.HttpStatusCode}).", inner: ex);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new UpstreamException(UpstreamFailure.Unavailable, route.Provider, $"The provider '{route.Provider}' could not be reached over WebSocket.", inner: ex);
            }
            await upstream.ExpectAsync("connected_success", timeout.Token);
            await upstream.SendAsync(start, timeout.Token);
            await upstream.ExpectAsync("task_started", timeout.Token);
            return upstream;
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(new Dictionary<string, object?> { ["event"] = "task_continue", ["text"] = text }, cancellationToken);

    public Task FinishAsync(CancellationToken cancellationToken) =>
        SendAsync(new Dictionary<string, object?> { ["event"] = "task_finish" }, cancellationToken);

    /// <summary>The provider's audio as it comes, with its <c>is_final</c>, until <c>task_finished</c>.</summary>
    public async IAsyncEnumerable<(byte[] Audio, bool Final)> ReadAudioAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            using JsonDocument message = await ReceiveAsync(cancellationToken);
            JsonElement root = message.RootElement;
            string? name = root.TryGetProperty("event", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (name == "task_finished")
            {
                yield break;
            }
            if (name != "task_continued")
            {
                continue;
            }
            MiniMaxSpeechProvider.MiniMaxEvent audio = MiniMaxSpeechProvider.ParseMiniMaxEvent(_route, root.GetRawText());
            bool final = root.TryGetProperty("is_final", out JsonElement f) && f.ValueKind == JsonValueKind.True;
            yield return (audio.Audio ?? [], final);
        }
    }

    private async Task ExpectAsync(string name, CancellationToken cancellationToken)
    {
        using JsonDocument message = await ReceiveAsync(cancellationToken);
        if (!message.RootElement.TryGetProperty("event", out JsonElement e) || e.GetString() != name)
        {
            throw new UpstreamException(UpstreamFailure.Failed, _route.Provider, $"The provider '{_route.Provider}' answered without {name}.");
        }
    }

    private async Task SendAsync(Dictionary<string, object?> message, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            throw Broken(ex);
        }
    }

    /// <summary>One event; a <c>task_failed</c> (or any non-zero status) is thrown as the provider's failure.</summary>
    private async Task<JsonDocument> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                throw Broken(ex);
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new UpstreamException(UpstreamFailure.Failed, _route.Provider, $"The provider '{_route.Provider}' closed the connection before the task finished.");
            }
            message.Write(_buffer, 0, result.Count);
            if (message.Length > MaxEventBytes)
            {
                throw new UpstreamException(UpstreamFailure.Failed, _route.Provider, $"The provider '{_route.Provider}' sent an event over {MaxEventBytes} bytes.");
            }
            if (result.EndOfMessage)
            {
                break;
            }
        }
        string json = System.Text.Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
        MiniMaxSpeechProvider.ParseMiniMaxEvent(_route, json); // throws the provider's refusal
        return JsonDocument.Parse(json);
    }

    private UpstreamException Broken(Exception ex) =>
        new(UpstreamFailure.Failed, _route.Provider, $"The connection to the provider '{_route.Provider}' broke.", inner: ex);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", deadline.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
            }
        }
        _socket.Dispose();
    }
}
