using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Voxgate.Auth;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;

namespace Voxgate.MiniMax;

/// <summary>
/// MiniMax's WebSocket T2A, at <c>/ws/v1/t2a_v2</c> and <c>/minimax/ws/v1/t2a_v2</c>: <c>connected_success</c> on
/// connect, then tasks one at a time: <c>task_start</c> (the t2a_v2 fields but text) answered <c>task_started</c>,
/// any number of <c>task_continue</c> with text, whose audio comes back in <c>task_continued</c> events as each
/// sentence is spoken, and <c>task_finish</c> answered <c>task_finished</c> once everything is spoken; a failure is
/// <c>task_failed</c> with MiniMax's code. The key is checked before the upgrade, as for every MiniMax endpoint.
/// </summary>
public static class MiniMaxWebSocket
{
    public const string Path = "/ws/v1/t2a_v2";

    public static IEndpointRouteBuilder MapMiniMaxWebSocket(this IEndpointRouteBuilder app)
    {
        foreach (string prefix in new[] { MiniMaxEndpoints.Prefix, "" })
        {
            app.MapGet(prefix + Path, AcceptAsync).WithTags("MiniMax-compatible")
                .WithSummary("Text to speech over a WebSocket, text in pieces and audio as it is spoken (MiniMax T2A WebSocket).")
                .RequireApiKey(KeyScopes.Speech, denial => new RefusedUpgrade(MiniMaxStatus.From(denial), denial.Status));
        }
        return app;
    }

    private static async Task AcceptAsync(HttpContext http, MiniMaxSpeechSocket.Services services)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await new RefusedUpgrade(MiniMaxStatus.Invalid(null, $"{Path} speaks WebSocket: connect with a WebSocket client (Upgrade: websocket)."),
                StatusCodes.Status400BadRequest).ExecuteAsync(http);
            return;
        }
        using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = services.Options.Value.KeepAliveInterval,
        });
        await new MiniMaxSpeechSocket(http, socket, ApiKeyEndpointFilter.CallerOf(http), services).RunAsync();
    }

    /// <summary>
    /// An upgrade refused before it happens: a real HTTP status (so a WebSocket client reports it) with MiniMax's
    /// <c>base_resp</c> in the body.
    /// </summary>
    private sealed class RefusedUpgrade(MiniMaxStatus status, int httpStatus) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            HttpResponse response = httpContext.Response;
            response.StatusCode = httpStatus;
            return response.WriteAsJsonAsync(new Dictionary<string, object?>
            {
                ["trace_id"] = httpContext.TraceIdentifier,
                ["base_resp"] = status.BaseResp,
            }, MiniMaxJson.Options, httpContext.RequestAborted);
        }
    }
}
