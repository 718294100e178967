using System.Diagnostics;
using Microsoft.Extensions.Options;
using Voxgate.Gateway;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Http;

/// <summary>How one surface writes a streamed synthesis: its headers, its audio framing, its errors.</summary>
public interface ISpeechResponseBody
{
    /// <summary>Sets status and headers; called once, with the first output of the synthesis.</summary>
    void Start();

    Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken);

    /// <summary>A segment of the text has been synthesised (for subtitles and progress).</summary>
    void OnSegment(SegmentTiming segment)
    {
    }

    Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken);

    /// <summary>Writes the failure as the whole response (nothing has been sent yet).</summary>
    Task WriteErrorAsync(Exception failure);

    /// <summary>Reports the failure inside a response already under way, if the format can; false means abort.</summary>
    Task<bool> TryFailAsync(Exception failure, CancellationToken cancellationToken);
}

/// <summary>
/// Streams an admitted synthesis through a surface's <see cref="ISpeechResponseBody"/>. A body that buffers (a JSON
/// answer) has not started when a failure comes, so it gets a clean error; a body that streams gets the failure inside
/// the stream where its format can say so, else the connection is aborted, so that a client never mistakes a cut-off
/// stream for a complete one. A reader slower than <see cref="StreamingOptions.MinReaderSpeed"/> is dropped. Returns
/// the outcome the gateway settles.
/// </summary>
public sealed partial class SpeechStreamer(SpeechPipeline pipeline, IOptions<StreamingOptions> streaming, ILogger<SpeechStreamer> logger)
{
    public async Task<SpeechOutcome> RunAsync(HttpContext http, SpeechAdmission admission, ISpeechResponseBody body)
    {
        SpeechPlan plan = admission.Plan;
        CancellationToken aborted = http.RequestAborted;
        StreamingOptions pace = streaming.Value;
        var paced = new ReaderPaceStream(http.Response.Body, pace.MinReaderRate(plan.BytesPerSecond), pace.ReaderGracePeriod, http.Abort);
        http.Response.Body = paced;
        var clock = Stopwatch.StartNew();
        TimeSpan? firstByte = null;
        SpeechSummary? summary = null;
        bool started = false;
        int spokenTextEnd = 0;
        try
        {
            await foreach (SpeechChunk chunk in pipeline.RunAsync(plan, admission, 1, aborted).WithCancellation(aborted))
            {
                if (!started)
                {
                    body.Start();
                    if (!ReferenceEquals(admission.Served, plan))
                    {
                        SetSpeechHeaders(http.Response, admission.Served); // fell through: the headers name the route that serves
                    }
                    started = true;
                }
                if (!chunk.Audio.IsEmpty)
                {
                    await body.WriteAudioAsync(chunk.Audio, aborted);
                    firstByte ??= clock.Elapsed;
                    if (http.Response.HasStarted)
                    {
                        admission.AudioSent(); // a body that buffers (a JSON answer) sends its audio at the end
                    }
                }
                if (chunk.Segment is { } segment)
                {
                    spokenTextEnd = segment.TextStart + segment.TextLength;
                    admission.AudioProduced(segment.End);
                    body.OnSegment(segment);
                }
                if (chunk.Summary is not null)
                {
                    summary = chunk.Summary;
                    admission.AudioProduced(summary.AudioDuration);
                    await body.CompleteAsync(summary, aborted);
                    admission.AudioSent();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && (aborted.IsCancellationRequested || paced.TooSlow))
        {
            if (paced.TooSlow)
            {
                LogReaderTooSlow(logger, http.TraceIdentifier, clock.ElapsedMilliseconds);
            }
            else
            {
                LogClientGone(logger, http.TraceIdentifier, clock.ElapsedMilliseconds);
            }
            return new SpeechOutcome(SpeechOutcomeStatus.Cancelled, DeliveredCharacters(admission.Served, spokenTextEnd, firstByte is not null && http.Response.HasStarted));
        }
        catch (Exception ex) when (ex is SpeechSynthesisException or UpstreamException)
        {
            LogSynthesisFailed(logger, ex, http.TraceIdentifier, plan.Model.Id, plan.Voice.Id);
            if (!http.Response.HasStarted)
            {
                await body.WriteErrorAsync(ex);
            }
            else if (!await body.TryFailAsync(ex, aborted))
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

    /// <summary>The headers every surface sends with speech: model, voice, route and billable characters.</summary>
    public static void SetSpeechHeaders(HttpResponse response, SpeechPlan plan)
    {
        response.Headers["x-voxgate-model"] = plan.Model.Id;
        response.Headers["x-voxgate-voice"] = plan.Voice.Id;
        response.Headers["x-voxgate-route"] = plan.Route.Capacity;
        response.Headers["x-voxgate-characters"] = plan.Text.Characters.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Starts a server-sent event stream of speech: 200, <c>text/event-stream</c>, no caching or proxy buffering.</summary>
    public static void StartEventStream(HttpResponse response, SpeechPlan plan)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        SetSpeechHeaders(response, plan);
    }

    /// <summary>Writes one event, <c>data: {json}</c> and a blank line, in one write.</summary>
    public static async Task WriteEventAsync(HttpResponse response, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        byte[] frame = new byte[json.Length + 8];
        "data: "u8.CopyTo(frame);
        json.Span.CopyTo(frame.AsSpan(6));
        "\n\n"u8.CopyTo(frame.AsSpan(6 + json.Length));
        await response.Body.WriteAsync(frame, cancellationToken);
    }

    /// <summary>True when the caller's own provider key pays for the plan (its refusals are the caller's to fix).</summary>
    public static bool IsByok(SpeechPlan plan) => plan.Route is UpstreamSynthesis { Upstream.Byok: true };

    /// <summary>
    /// The billable characters of what a departed client received: locally, the share of the text whose audio had
    /// been sent (rounded up); from an upstream provider, which bills the whole text once it has started, all of it.
    /// </summary>
    private static int DeliveredCharacters(SpeechPlan plan, int spokenTextEnd, bool audioSent) => plan.Route switch
    {
        UpstreamSynthesis => audioSent ? plan.Text.Characters : 0,
        _ when plan.Text.Text.Length == 0 || !audioSent => 0,
        _ => (int)Math.Ceiling((double)plan.Text.Characters * spokenTextEnd / plan.Text.Text.Length),
    };

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Speech {RequestId}: model {Model}, voice {Voice}, {Format}, {Characters} characters, {AudioMs} ms audio, {Bytes} bytes, first byte {FirstByteMs} ms, total {ElapsedMs} ms")]
    private static partial void LogSpeech(ILogger logger, string requestId, string model, string voice, string format,
        int characters, long audioMs, long bytes, long firstByteMs, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Speech {RequestId} failed: model {Model}, voice {Voice}")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string requestId, string model, string voice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speech {RequestId}: the reader took audio too slowly and was disconnected after {ElapsedMs} ms")]
    private static partial void LogReaderTooSlow(ILogger logger, string requestId, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Speech {RequestId}: client disconnected after {ElapsedMs} ms")]
    private static partial void LogClientGone(ILogger logger, string requestId, long elapsedMs);
}
