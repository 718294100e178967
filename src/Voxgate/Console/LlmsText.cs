using System.Globalization;
using System.Text;
using Voxgate.OpenAi;

namespace Voxgate.WebConsole;

/// <summary>
/// <c>/llms.txt</c> (llmstxt.org): the API in a form a language-model tool reads, written from the same catalog,
/// routes, capabilities and error table the pages and <c>/v1/models</c> use, so it cannot drift from them.
/// </summary>
public static class LlmsText
{
    public static async Task WriteAsync(HttpContext http, ModelSheets sheets)
    {
        ConsoleHeaders.Apply(http.Response);
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(Compose(sheets.All(), ApiExamples.BaseUrl(http.Request)), http.RequestAborted);
    }

    public static string Compose(IReadOnlyList<ModelSheet> models, string baseUrl)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$$"""
            # Voxgate

            > Self-hosted text-to-speech server. OpenAI-compatible (`POST {{{baseUrl}}}/v1/audio/speech`) and MiniMax-compatible (`POST {{{baseUrl}}}/minimax/v1/t2a_v2`) APIs over local engines and upstream providers. Prices are per 1,000 characters (Unicode code points), pass-through; a 5% fee is applied at credit top-up, not per call.

            ## Calling the API

            - Authentication: `Authorization: Bearer <Voxgate API key>`.
            - OpenAI SDKs: set the base URL to `{{{baseUrl}}}/v1` and `model` to a model id below.
            - Request body (JSON): `model`, `input` (at most 4096 characters), `voice` (e.g. `{{{ApiExamples.Voice}}}`), optional `response_format` (mp3, opus, aac, flac, wav, pcm), `speed` (0.25 to 4), `instructions`, `stream_format` (`audio` or `sse`).
            - Response: the audio bytes, streamed as they are synthesised; with `stream_format: sse`, `speech.audio.delta` events then `speech.audio.done` with usage.
            - Errors: `{"error": {"message", "type", "param", "code"}}`.

            ## Documents

            - [OpenAPI document]({{{baseUrl}}}/openapi.json): every endpoint and body.
            - [Models]({{{baseUrl}}}/v1/models): the catalog as JSON, with route, price and capabilities.
            - [Voices]({{{baseUrl}}}/v1/voices): the server's voices, `?language=en` to filter.
            - [API reference]({{{baseUrl}}}/api): the OpenAPI document as a page.

            ## Models


            """);
        foreach (ModelSheet model in models)
        {
            string supported = string.Join(", ", model.Capabilities.Where(c => c.Supported).Select(c => c.Name.ToLowerInvariant()));
            text.Append(CultureInfo.InvariantCulture, $"- [{model.Name}]({baseUrl}{model.Path}): `{model.Id}`")
                .Append(model.Model.Aliases.Count > 0 ? $" (also {string.Join(", ", model.Model.Aliases.Select(a => $"`{a}`"))})" : "")
                .Append(CultureInfo.InvariantCulture, $". {model.Provider}, {model.Price} per 1K characters, route {model.RouteKind} ({model.Engine}). {model.Description}")
                .Append(supported.Length > 0 ? $" Supports: {supported}." : "")
                .Append('\n');
        }
        text.Append("\n## Errors\n\n");
        foreach (DocumentedError error in OpenAiErrorTable.Rows.Where(e => e.Status != 0))
        {
            text.Append(CultureInfo.InvariantCulture, $"- {OpenAiErrorTable.Plain(error.StatusText)} `{error.Type}` `{OpenAiErrorTable.Plain(error.Code)}`: {OpenAiErrorTable.Plain(error.Situation)}\n");
        }
        return text.ToString();
    }
}
