using System.Buffers;
using System.Text.Json;
using Voxgate.Http;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.OpenAi;

/// <summary>OpenAI's raw audio response: the encoded bytes with chunked transfer.</summary>
public sealed class OpenAiAudioBody(HttpContext http, SpeechPlan plan) : ISpeechResponseBody
{
    public void Start()
    {
        HttpResponse response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = AudioFormats.ContentType(plan.Output.Format, plan.Output.SampleRate, plan.Output.Channels);
        SpeechStreamer.SetSpeechHeaders(response, plan);
    }

    public Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) =>
        http.Response.Body.WriteAsync(audio, cancellationToken).AsTask();

    public Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WriteErrorAsync(Exception failure) => OpenAiError.ForFailure(failure, plan, http.TraceIdentifier).WriteAsync(http.Response);

    /// <summary>Raw audio has no way to say "failed": the connection is aborted instead.</summary>
    public Task<bool> TryFailAsync(Exception failure, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>OpenAI's <c>stream_format: "sse"</c>: <c>speech.audio.delta</c> events, then <c>speech.audio.done</c>.</summary>
public sealed class OpenAiEventBody(HttpContext http, SpeechPlan plan) : ISpeechResponseBody
{
    public void Start() => SpeechStreamer.StartEventStream(http.Response, plan);

    public Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) =>
        WriteEventAsync(writer =>
        {
            writer.WriteString("type", "speech.audio.delta");
            writer.WriteBase64String("audio", audio.Span);
        }, cancellationToken);

    /// <remarks>
    /// OpenAI reports tokens; Voxgate bills characters, so the character count fills input_tokens and
    /// total_tokens, output_tokens is 0, and usage_characters names the unit explicitly.
    /// </remarks>
    public Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken) =>
        WriteEventAsync(writer =>
        {
            writer.WriteString("type", "speech.audio.done");
            writer.WriteStartObject("usage");
            writer.WriteNumber("input_tokens", summary.Characters);
            writer.WriteNumber("output_tokens", 0);
            writer.WriteNumber("total_tokens", summary.Characters);
            writer.WriteNumber("usage_characters", summary.Characters);
            writer.WriteEndObject();
        }, cancellationToken);

    public Task WriteErrorAsync(Exception failure) => OpenAiError.ForFailure(failure, plan, http.TraceIdentifier).WriteAsync(http.Response);

    public async Task<bool> TryFailAsync(Exception failure, CancellationToken cancellationToken)
    {
        OpenAiError error = OpenAiError.ForFailure(failure, plan, http.TraceIdentifier);
        await WriteEventAsync(writer =>
        {
            writer.WriteString("type", "error");
            writer.WritePropertyName("error");
            writer.WriteRawValue(JsonSerializer.Serialize(error.Body, OpenAiJson.Options));
        }, cancellationToken);
        return true;
    }

    private async Task WriteEventAsync(Action<Utf8JsonWriter> writeFields, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }
        await SpeechStreamer.WriteEventAsync(http.Response, buffer.WrittenMemory, cancellationToken);
    }
}
