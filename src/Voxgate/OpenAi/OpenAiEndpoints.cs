using System.Text.Json;
using Microsoft.Extensions.Options;
using Voxgate.Auth;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Http;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;

namespace Voxgate.OpenAi;

/// <summary>The OpenAI-compatible surface under <c>/v1</c>: requests in, canonical requests out, nothing more.</summary>
public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1").WithTags("OpenAI-compatible")
            .RequireApiKey(KeyScopes.Speech, denial => OpenAiError.From(denial).ToResult());

        v1.MapPost("/audio/speech", CreateSpeechAsync)
            .WithName("CreateSpeech")
            .WithSummary("Generates audio from the input text (OpenAI /v1/audio/speech).")
            .Accepts<SpeechRequestDocument>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "audio/mpeg")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .Produces<OpenAiErrorDocument>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status401Unauthorized)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status402PaymentRequired)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status404NotFound)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status429TooManyRequests)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status503ServiceUnavailable)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<OpenAiErrorDocument>(StatusCodes.Status500InternalServerError);

        v1.MapGet("/models", CatalogDocuments.ListModels)
            .WithName("ListModels")
            .WithSummary("Lists the models in the catalog, with aliases, routing, price and capabilities.");

        v1.MapGet("/models/{**id}", CatalogDocuments.GetModel)
            .WithName("GetModel")
            .WithSummary("Returns one model by id or alias.");

        v1.MapGet("/voices", CatalogDocuments.ListVoices)
            .WithName("ListVoices")
            .WithSummary("Lists the server's voices with engine, language, gender and the names that map to them (?language=, ?engine=).");

        OpenAiVoiceEndpoints.Map(v1); // /v1/audio/voices: the caller's custom voices, as OpenAI's

        return app;
    }

    /// <summary>Also the console playground's handler (<c>PlaygroundEndpoint</c>), with the session's caller: one path, one charge.</summary>
    internal static async Task CreateSpeechAsync(HttpContext http, IOptions<OpenAiOptions> options, SpeechGateway gateway, SpeechStreamer streamer)
    {
        SpeechAdmission admission;
        SpeechStreamFormat streamFormat;
        try
        {
            using JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, options.Value.MaxRequestBodyBytes, http.RequestAborted);
            (SpeechRequest request, streamFormat) = OpenAiSpeechRequest.Parse(body.RootElement, options.Value,
                http.RequestServices.GetRequiredService<IOptions<TextOptions>>().Value.OpenAiNormalization);
            admission = await gateway.AdmitAsync(ApiKeyEndpointFilter.CallerOf(http), request, http.TraceIdentifier, http.RequestAborted);
        }
        catch (Exception ex) when (OpenAiError.ForRefusal(ex) is { } error)
        {
            await error.WriteAsync(http.Response);
            return;
        }

        await using (admission)
        {
            RateLimitHeaders.Write(http.Response, admission.Limits);
            ISpeechResponseBody body = streamFormat == SpeechStreamFormat.ServerSentEvents
                ? new OpenAiEventBody(http, admission.Plan)
                : new OpenAiAudioBody(http, admission.Plan);
            await admission.CompleteAsync(await streamer.RunAsync(http, admission, body));
        }
    }
}
