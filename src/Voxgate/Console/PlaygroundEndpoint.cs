using Microsoft.AspNetCore.Antiforgery;
using Voxgate.Gateway.Accounts;
using Voxgate.OpenAi;

namespace Voxgate.WebConsole;

/// <summary>
/// <c>POST /console/playground/speech</c>: the playground's speech request, the body of OpenAI's
/// <c>/v1/audio/speech</c>, answered by the very handler of that endpoint with the session's caller, so it is
/// planned, limited, held and charged to the signed-in account exactly as an API request with its key. A cookie
/// authenticates it, so it also needs the antiforgery token (header <see cref="ConsoleSession.AntiforgeryHeader"/>);
/// the cookie's SameSite=Strict already keeps other sites' requests from carrying the session.
/// </summary>
public static class PlaygroundEndpoint
{
    public const string Path = "/console/playground/speech";

    internal static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Path, SpeakAsync).ExcludeFromDescription().DisableAntiforgery(); // validated below, in the API's error format

    private static async Task SpeakAsync(HttpContext http, IAntiforgery antiforgery)
    {
        Caller? caller = await ConsoleSession.ResumeAsync(http);
        if (caller is null || !caller.Can(KeyScopes.Speech) || caller.AccountId is null)
        {
            await new OpenAiError(StatusCodes.Status401Unauthorized, OpenAiError.Authentication, "Sign in to the console first.", null, "no_session")
                .WriteAsync(http.Response);
            return;
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            await new OpenAiError(StatusCodes.Status400BadRequest, OpenAiError.InvalidRequest, "The antiforgery token is missing or wrong; reload the page.", null,
                "antiforgery").WriteAsync(http.Response);
            return;
        }
        http.Features.Set(caller);
        http.Response.Headers.CacheControl = "no-store";
        await OpenAiEndpoints.CreateSpeechAsync(http, http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenAiOptions>>(),
            http.RequestServices.GetRequiredService<Voxgate.Gateway.SpeechGateway>(), http.RequestServices.GetRequiredService<Voxgate.Http.SpeechStreamer>());
    }
}
