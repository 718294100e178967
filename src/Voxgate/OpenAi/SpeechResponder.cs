using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Voxgate.Gateway;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.OpenAi;

/// <summary>
/// Streams a planned synthesis to an HTTP response, as raw audio (chunked) or as OpenAI's server-sent events.
/// Headers are committed only after the first segment succeeds, so an engine that fails at once still gets a clean
/// 500; a failure after bytes have left aborts the connection (audio) or ends with an error event (SSE), so a
/// client never mistakes a cut-off stream for a complete one.
/// </summary>
public sealed partial class SpeechResponder(SpeechPipeline pipeline, ILogger<SpeechResponder> logger)
{
    public Task<SpeechOutcome> WriteAudioAsync(HttpContext http, SpeechPlan plan) => RunAsync(http, plan, new AudioBody(http, plan));

    public Task<SpeechOutcome> WriteEventsAsync(HttpContext http, SpeechPlan plan) => RunAsync(http, plan, new EventBody(http, plan));

    /// <returns>How the synthesis ended, for settlement: a client that left is charged for the text already sent.</returns>
    private async Task<SpeechOutcome> RunAsync(HttpContext http, SpeechPlan plan, IResponseBody body)
    {
        CancellationToken aborted = http.RequestAborted;
        var clock = Stopwatch.StartNew();
        TimeSpan? firstByte = null;
        SpeechSummary? summary = null;
        int spokenTextEnd = 0;
        try
        {
            await foreach (SpeechChunk chunk in pipeline.RunAsync(plan, aborted).WithCancellation(aborted))
            {
                if (!http.Response.HasStarted)
                {
                    body.Start();
                }
                if (!chunk.Audio.IsEmpty)
                {
                    await body.WriteAudioAsync(chunk.Audio, aborted);
                    firstByte ??= clock.Elapsed;
                }
                if (chunk.Segment is { } segment)
                {
                    spokenTextEnd = segment.TextStart + segment.TextLength;
                }
                if (chunk.Summary is not null)
                {
                    summary = chunk.Summary;
                    await body.CompleteAsync(summary, aborted);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            LogClientGone(logger, http.TraceIdentifier, clock.ElapsedMilliseconds);
            return new SpeechOutcome(SpeechOutcomeStatus.Cancelled, DeliveredCharacters(plan, spokenTextEnd, firstByte is not null));
        }
        catch (Exception ex) when (ex is SpeechSynthesisException or UpstreamException)
        {
            LogSynthesisFailed(logger, ex, http.TraceIdentifier, plan.Model.Id, plan.Voice.Id);
            OpenAiError error = ex is UpstreamException upstream
                ? OpenAiError.From(upstream, plan.Route is UpstreamSynthesis { Upstream.Byok: true })
                : OpenAiError.SynthesisFailed(http.TraceIdentifier);
            if (!http.Response.HasStarted)
            {
                await error.WriteAsync(http.Response);
            }
            else if (!await body.TryFailAsync(error, aborted))
            {
                http.Abort();
            }
            return new SpeechOutcome(SpeechOutcomeStatus.Failed);
        }
        LogSpeech(logger, http.TraceIdentifier, plan.Model.Id, plan.Voice.Id, AudioFormats.Name(plan.Output.Format),
            plan.Text.Characters, (long)(summary?.AudioDuration.TotalMilliseconds ?? 0), summary?.AudioBytes ?? 0,
            (long)(firstByte ?? clock.Elapsed).TotalMilliseconds, clock.ElapsedMilliseconds);
        return new SpeechOutcome(SpeechOutcomeStatus.Succeeded, plan.Text.Characters);
    }

    /// <summary>
    /// The billable characters of what a departed client received: locally, the share of the text whose audio had
    /// been sent (rounded up); from an upstream provider, which bills the whole text once it has started, all of it.
    /// </summary>
    private static int DeliveredCharacters(SpeechPlan plan, int spokenTextEnd, bool audioSent) => plan.Route switch
    {
        UpstreamSynthesis => audioSent ? plan.Text.Characters : 0,
        _ when plan.Text.Text.Length == 0 => 0,
        _ => (int)Math.Ceiling((double)plan.Text.Characters * spokenTextEnd / plan.Text.Text.Length),
    };

    private interface IResponseBody
    {
        void Start();

        Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken);

        Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken);

        /// <summary>Reports a failure inside the started body where the format can say so.</summary>
        Task<bool> TryFailAsync(OpenAiError error, CancellationToken cancellationToken);
    }

    private sealed class AudioBody(HttpContext http, SpeechPlan plan) : IResponseBody
    {
        public void Start()
        {
            HttpResponse response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = AudioFormats.ContentType(plan.Output.Format, plan.Output.SampleRate, plan.Output.Channels);
            SetSpeechHeaders(response, plan);
        }

        public Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) =>
            http.Response.Body.WriteAsync(audio, cancellationToken).AsTask();

        public Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TryFailAsync(OpenAiError error, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    /// <summary>OpenAI's <c>stream_format: "sse"</c>: <c>speech.audio.delta</c> events, then <c>speech.audio.done</c>.</summary>
    private sealed class EventBody(HttpContext http, SpeechPlan plan) : IResponseBody
    {
        public void Start()
        {
            HttpResponse response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            SetSpeechHeaders(response, plan);
        }

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

        public async Task<bool> TryFailAsync(OpenAiError error, CancellationToken cancellationToken)
        {
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
            buffer.Write("data: "u8);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writeFields(writer);
                writer.WriteEndObject();
            }
            buffer.Write("\n\n"u8);
            await http.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }
    }

    private static void SetSpeechHeaders(HttpResponse response, SpeechPlan plan)
    {
        response.Headers["x-voxgate-model"] = plan.Model.Id;
        response.Headers["x-voxgate-voice"] = plan.Voice.Id;
        response.Headers["x-voxgate-route"] = plan.Route.Capacity;
        response.Headers["x-voxgate-characters"] = plan.Text.Characters.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Speech {RequestId}: model {Model}, voice {Voice}, {Format}, {Characters} characters, {AudioMs} ms audio, {Bytes} bytes, first byte {FirstByteMs} ms, total {ElapsedMs} ms")]
    private static partial void LogSpeech(ILogger logger, string requestId, string model, string voice, string format,
        int characters, long audioMs, long bytes, long firstByteMs, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Speech {RequestId} failed: model {Model}, voice {Voice}")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string requestId, string model, string voice);

    [LoggerMessage(Level = LogLevel.Information, Message = "Speech {RequestId}: client disconnected after {ElapsedMs} ms")]
    private static partial void LogClientGone(ILogger logger, string requestId, long elapsedMs);
}
