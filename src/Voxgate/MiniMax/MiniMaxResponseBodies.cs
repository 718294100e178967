using System.Text.Json;
using Voxgate.Gateway.Files;
using Voxgate.Http;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.MiniMax;

/// <summary>
/// A synchronous <c>t2a_v2</c> answer: the whole audio as hex (or a signed link), its subtitles, and <c>extra_info</c>,
/// in one JSON document. It is written only at the end, so a failure at any point gets a clean error answer.
/// </summary>
/// <param name="accountId">Who owns the files a link points at; links are only asked for with an account's key.</param>
public sealed class MiniMaxJsonBody(HttpContext http, SpeechPlan plan, MiniMaxDelivery delivery, long accountId, FileService files) : ISpeechResponseBody
{
    private readonly MemoryStream _audio = new();
    private readonly List<SegmentTiming> _segments = [];

    public void Start()
    {
    }

    public Task WriteAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) => _audio.WriteAsync(audio, cancellationToken).AsTask();

    public void OnSegment(SegmentTiming segment) => _segments.Add(segment);

    public async Task CompleteAsync(SpeechSummary summary, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object?> { ["status"] = 2, ["ced"] = "" };
        if (delivery.OutputUrl)
        {
            StoredFile file = await files.SaveAsync(accountId, "t2a_output", $"{http.TraceIdentifier}.{AudioFormats.FileExtension(summary.Format)}",
                files.Options.OutputLifetime, (stream, token) => stream.WriteAsync(_audio.GetBuffer().AsMemory(0, (int)_audio.Length), token).AsTask(),
                cancellationToken);
            data["audio"] = MiniMaxLinks.Download(http, files, file, files.Options.OutputLifetime);
        }
        else
        {
            data["audio"] = Convert.ToHexStringLower(_audio.GetBuffer(), 0, (int)_audio.Length);
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
        await http.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["data"] = data,
            ["extra_info"] = ExtraInfo.From(plan, summary),
            ["trace_id"] = http.TraceIdentifier,
            ["base_resp"] = MiniMaxStatus.Ok.BaseResp,
        }, MiniMaxJson.Options, cancellationToken);
    }

    public Task WriteErrorAsync(Exception failure) => MiniMaxSpeech.ForFailure(failure, plan, http.TraceIdentifier).WriteAsync(http.Response);

    public Task<bool> TryFailAsync(Exception failure, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>
/// A streamed <c>t2a_v2</c> answer: server-sent events, each with hex audio and <c>status: 1</c> as it is produced, then
/// a last one with <c>status: 2</c>, <c>extra_info</c>, and the whole audio again unless
/// <c>stream_options.exclude_aggregated_audio</c> asked it not to.
/// </summary>
public sealed class MiniMaxEventBody(HttpContext http, SpeechPlan plan, MiniMaxDelivery delivery) : ISpeechResponseBody
{
    private readonly MemoryStream? _aggregate = delivery.ExcludeAggregatedAudio ? null : new MemoryStream();

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
        WriteEventAsync(new Dictionary<string, object?>
        {
            ["data"] = new Dictionary<string, object?>
            {
                ["audio"] = _aggregate is null ? "" : Convert.ToHexStringLower(_aggregate.GetBuffer(), 0, (int)_aggregate.Length),
                ["status"] = 2,
                ["ced"] = "",
            },
            ["extra_info"] = ExtraInfo.From(plan, summary),
            ["trace_id"] = http.TraceIdentifier,
            ["base_resp"] = MiniMaxStatus.Ok.BaseResp,
        }, cancellationToken);

    public Task WriteErrorAsync(Exception failure) => MiniMaxSpeech.ForFailure(failure, plan, http.TraceIdentifier).WriteAsync(http.Response);

    public async Task<bool> TryFailAsync(Exception failure, CancellationToken cancellationToken)
    {
        MiniMaxStatus status = MiniMaxSpeech.ForFailure(failure, plan, http.TraceIdentifier);
        await WriteEventAsync(new Dictionary<string, object?> { ["trace_id"] = http.TraceIdentifier, ["base_resp"] = status.BaseResp }, cancellationToken);
        return true;
    }

    private Task WriteEventAsync(object payload, CancellationToken cancellationToken) =>
        SpeechStreamer.WriteEventAsync(http.Response, JsonSerializer.SerializeToUtf8Bytes(payload, MiniMaxJson.Options), cancellationToken);
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
