using System.Text;
using System.Text.Json;
using Voxgate.Gateway.Files;
using Voxgate.Http;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.MiniMax;

/// <summary>
/// A synchronous <c>t2a_v2</c> answer: the whole audio as hex (or a signed link), its subtitles, and <c>extra_info</c>,
/// in one JSON document. It is written only at the end, so a failure at any point gets a clean error answer; until
/// then the audio waits in a <see cref="SpillBuffer"/> (memory, then a nameless file), so however long the answer,
/// the server holds a bounded amount of it in memory, and the hex is written piece by piece.
/// </summary>
/// <param name="accountId">Who owns the files a link points at; links are only asked for with an account's key.</param>
public sealed class MiniMaxJsonBody(HttpContext http, SpeechPlan plan, MiniMaxDelivery delivery, long accountId, FileService files,
    StreamingOptions streaming) : ISpeechResponseBody, IDisposable
{
    private readonly SpillBuffer _audio = new(streaming, SpillBound(plan));
    private readonly List<SegmentTiming> _segments = [];

    public void Start()
    {
    }

    public Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
    {
        _audio.Write(audio.Span);
        return Task.CompletedTask;
    }

    public void OnSegment(SegmentTiming segment) => _segments.Add(segment);

    public async Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object?> { ["status"] = 2, ["ced"] = "" };
        if (delivery.OutputUrl)
        {
            StoredFile file = await files.SaveAsync(accountId, "t2a_output", $"{http.TraceIdentifier}.{AudioFormats.FileExtension(summary.Format)}",
                files.Options.OutputLifetime, _audio.CopyToAsync, cancellationToken);
            data["audio"] = MiniMaxLinks.Download(http, files, file, files.Options.OutputLifetime);
        }
        if (delivery.Subtitles != SubtitleKind.None)
        {
            List<SubtitleEntry> subtitles = MiniMaxDocuments.Subtitles(plan.Text, _segments, summary.AudioDuration, delivery.Subtitles == SubtitleKind.Word);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(subtitles, MiniMaxJson.Options);
            StoredFile file = await files.SaveAsync(accountId, "t2a_subtitle", $"{http.TraceIdentifier}.json", files.Options.OutputLifetime,
                (stream, token) => stream.WriteAsync(json, token).AsTask(), cancellationToken);
            data["subtitle_file"] = MiniMaxLinks.Download(http, files, file, files.Options.OutputLifetime);
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        SpeechStreamer.SetSpeechHeaders(http.Response, plan);
        var rest = new Dictionary<string, object?>
        {
            ["extra_info"] = ExtraInfo.From(plan, summary),
            ["trace_id"] = http.TraceIdentifier,
            ["base_resp"] = MiniMaxStatus.Ok.BaseResp,
        };
        http.Response.ContentType = "application/json; charset=utf-8";
        await HexAudioJson.WriteAsync(http.Response, delivery.OutputUrl ? null : _audio, data, rest, "", cancellationToken);
    }

    public Task WriteErrorAsync(Exception failure) => MiniMaxSpeech.ForFailure(failure, plan, http.TraceIdentifier).WriteAsync(http.Response);

    public Task<bool> TryFailAsync(Exception failure, CancellationToken cancellationToken) => Task.FromResult(false);

    public void Dispose() => _audio.Dispose();

    /// <summary>Room for twice the audio the request may produce, at its format's rate: a bound, never a target.</summary>
    internal static long SpillBound(SpeechPlan plan) =>
        (long)Math.Min(long.MaxValue / 4, 2 * plan.MaxAudio.TotalSeconds * Math.Max(plan.BytesPerSecond, 16_000));
}

/// <summary>
/// A streamed <c>t2a_v2</c> answer: server-sent events, each with hex audio and <c>status: 1</c> as it is produced, then
/// a last one with <c>status: 2</c>, <c>extra_info</c>, and the whole audio again unless
/// <c>stream_options.exclude_aggregated_audio</c> asked it not to (kept in a <see cref="SpillBuffer"/> until then).
/// </summary>
public sealed class MiniMaxEventBody(HttpContext http, SpeechPlan plan, MiniMaxDelivery delivery, StreamingOptions streaming) : ISpeechResponseBody, IDisposable
{
    private readonly SpillBuffer? _aggregate = delivery.ExcludeAggregatedAudio ? null : new SpillBuffer(streaming, MiniMaxJsonBody.SpillBound(plan));

    public void Start() => SpeechStreamer.StartEventStream(http.Response, plan);

    public Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
    {
        _aggregate?.Write(audio.Span);
        return WriteEventAsync(new Dictionary<string, object?>
        {
            ["data"] = new Dictionary<string, object?> { ["audio"] = Convert.ToHexStringLower(audio.Span), ["status"] = 1, ["ced"] = "" },
            ["trace_id"] = http.TraceIdentifier,
            ["base_resp"] = new MiniMaxStatus(MiniMaxStatus.Success, "").BaseResp,
        }, cancellationToken);
    }

    public Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken) =>
        HexAudioJson.WriteAsync(http.Response, _aggregate,
            new Dictionary<string, object?> { ["status"] = 2, ["ced"] = "" },
            new Dictionary<string, object?>
            {
                ["extra_info"] = ExtraInfo.From(plan, summary),
                ["trace_id"] = http.TraceIdentifier,
                ["base_resp"] = MiniMaxStatus.Ok.BaseResp,
            }, "data: ", cancellationToken, "\n\n");

    public Task WriteErrorAsync(Exception failure) => MiniMaxSpeech.ForFailure(failure, plan, http.TraceIdentifier).WriteAsync(http.Response);

    public async Task<bool> TryFailAsync(Exception failure, CancellationToken cancellationToken)
    {
        MiniMaxStatus status = MiniMaxSpeech.ForFailure(failure, plan, http.TraceIdentifier);
        await WriteEventAsync(new Dictionary<string, object?> { ["trace_id"] = http.TraceIdentifier, ["base_resp"] = status.BaseResp }, cancellationToken);
        return true;
    }

    public void Dispose() => _aggregate?.Dispose();

    private Task WriteEventAsync(object payload, CancellationToken cancellationToken) =>
        SpeechStreamer.WriteEventAsync(http.Response, JsonSerializer.SerializeToUtf8Bytes(payload, MiniMaxJson.Options), cancellationToken);
}

/// <summary>
/// Writes <c>{"data":{"audio":"&lt;hex&gt;", ...data}, ...rest}</c> with the hex read from a <see cref="SpillBuffer"/>
/// a piece at a time, so an answer of hundreds of megabytes never exists as one string. With no audio buffer, the
/// data is written as it is (a link instead of hex, or no aggregated audio).
/// </summary>
public static class HexAudioJson
{
    private const int PieceBytes = 32 * 1024;

    public static async Task WriteAsync(HttpResponse response, SpillBuffer? audio, Dictionary<string, object?> data,
        Dictionary<string, object?> rest, string before, CancellationToken cancellationToken, string after = "")
    {
        if (audio is null)
        {
            data.TryAdd("audio", "");
        }
        byte[] dataJson = JsonSerializer.SerializeToUtf8Bytes(data, MiniMaxJson.Options);
        byte[] restJson = JsonSerializer.SerializeToUtf8Bytes(rest, MiniMaxJson.Options);
        // {"data":{"audio":"HEX",<data fields>},<rest fields>}
        byte[] head = Encoding.UTF8.GetBytes(before + (audio is null ? "{\"data\":" : "{\"data\":{\"audio\":\""));
        byte[] middle = audio is null
            ? [.. dataJson, (byte)',', .. restJson.AsSpan(1)]
            : [.. "\","u8, .. dataJson.AsSpan(1), (byte)',', .. restJson.AsSpan(1)];
        byte[] tail = Encoding.UTF8.GetBytes(after);
        if (!response.HasStarted)
        {
            response.ContentLength = head.Length + 2 * (audio?.Length ?? 0) + middle.Length + tail.Length;
        }
        Stream body = response.Body;
        await body.WriteAsync(head, cancellationToken);
        if (audio is not null)
        {
            byte[] piece = new byte[PieceBytes];
            byte[] hex = new byte[2 * PieceBytes];
            for (long position = 0, end = audio.Length; position < end;)
            {
                int count = audio.Read(position, piece.AsSpan(0, (int)Math.Min(PieceBytes, end - position)));
                Convert.TryToHexStringLower(piece.AsSpan(0, count), hex, out int written);
                await body.WriteAsync(hex.AsMemory(0, written), cancellationToken);
                position += count;
            }
        }
        await body.WriteAsync(middle, cancellationToken);
        await body.WriteAsync(tail, cancellationToken);
    }
}

/// <summary>Absolute, signed download links under the prefix the caller used (<c>/minimax</c> or none).</summary>
public static class MiniMaxLinks
{
    public static string Download(HttpContext http, FileService files, StoredFile file, TimeSpan validity)
    {
        (string pathAndQuery, _) = files.SignedDownload(file, validity);
        return $"{Base(http)}{pathAndQuery}";
    }

    /// <summary>The scheme, host and surface prefix of the request, ending in a slash.</summary>
    public static string Base(HttpContext http)
    {
        HttpRequest request = http.Request;
        string prefix = request.Path.StartsWithSegments(MiniMaxEndpoints.Prefix) ? MiniMaxEndpoints.Prefix : "";
        return $"{request.Scheme}://{request.Host}{request.PathBase}{prefix}/";
    }
}
