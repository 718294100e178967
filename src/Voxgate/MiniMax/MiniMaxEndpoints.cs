using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Voxgate.Auth;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Tasks;
using Voxgate.Gateway.Voices;
using Voxgate.Http;
using Voxgate.Speech.Synthesis;

namespace Voxgate.MiniMax;

/// <summary>
/// The MiniMax-compatible surface, at <c>/minimax/v1/...</c> and at <c>/v1/...</c> (MiniMax clients take a base URL):
/// synchronous and streaming T2A, asynchronous long-text tasks, and the files they read and write. Requests in,
/// canonical requests out; every answer carries <c>base_resp</c> with HTTP 200, as MiniMax's do.
/// </summary>
public static class MiniMaxEndpoints
{
    public const string Prefix = "/minimax";

    /// <summary>A T2A body's largest size: 10,000 characters of text with every option fits easily.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    private const string AsyncInputPurpose = "t2a_async_input";

    public static IEndpointRouteBuilder MapMiniMaxApi(this IEndpointRouteBuilder app)
    {
        foreach (string prefix in new[] { Prefix, "" })
        {
            RouteGroupBuilder v1 = app.MapGroup(prefix + "/v1").WithTags("MiniMax-compatible")
                .WithTraceIdHeader() // before the key check, so that its refusals carry it too
                .RequireApiKey(KeyScopes.Speech, denial => MiniMaxStatus.From(denial).ToResult());
            v1.MapPost("/t2a_v2", T2aAsync).WithSummary("Synchronous or streaming text to speech (MiniMax T2A v2).");
            v1.MapPost("/t2a_async_v2", CreateTaskAsync).WithSummary("Creates an asynchronous long-text task.");
            v1.MapGet("/query/t2a_async_query_v2", (HttpContext http, string? task_id, TaskService tasks) => QueryTask(http, task_id, tasks))
                .WithSummary("The status and progress of an asynchronous task.");
            v1.MapPost("/query/t2a_async_query_v2", QueryTaskByBodyAsync).WithSummary("The same, with {\"task_id\"} in the body.");
            v1.MapPost("/files/upload", UploadAsync).WithSummary("Uploads a text file (purpose t2a_async_input) or a recording (voice_clone, prompt_audio).");
            v1.MapGet("/files/retrieve", (HttpContext http, string? file_id, FileService files) => RetrieveFile(http, file_id, files))
                .WithSummary("A file's record, with a signed download_url.");
            v1.MapGet("/files/retrieve_content", RetrieveContentAsync).WithSummary("A file's bytes.");
            v1.MapGet("/files/list", (HttpContext http, string? purpose, FileService files) => ListFiles(http, purpose, files))
                .WithSummary("The caller's files.");
            v1.MapPost("/files/delete", DeleteFileAsync).WithSummary("Deletes one of the caller's files.");
            MiniMaxVoiceEndpoints.Map(v1);
            app.MapGet(prefix + "/v1/files/download/{file_id}", DownloadAsync).WithTags("MiniMax-compatible").WithTraceIdHeader()
                .WithSummary("A file's bytes through a signed, expiring link (no API key).");
        }
        return app;
    }

    private static async Task T2aAsync(HttpContext http, SpeechGateway gateway, SpeechStreamer streamer, FileService files, IOptions<StreamingOptions> streaming)
    {
        SpeechAdmission admission;
        MiniMaxDelivery delivery;
        try
        {
            using JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            (SpeechRequest request, delivery) = MiniMaxSpeechRequest.ParseSync(body.RootElement);
            MiniMaxSpeech.CheckInvisibleCharacters(request.Input);
            Caller caller = ApiKeyEndpointFilter.CallerOf(http);
            if (caller.AccountId is null && (delivery.OutputUrl || delivery.Subtitles != SubtitleKind.None))
            {
                // Links point at stored files, and stored files belong to an account (anonymous only with auth off).
                throw new GatewayInputException(delivery.OutputUrl ? "output_format" : "subtitle_enable",
                    "Links to audio and subtitle files need an account's API key; send one, or use output_format hex without subtitles.");
            }
            admission = await gateway.AdmitAsync(caller, request, http.TraceIdentifier, http.RequestAborted);
        }
        catch (Exception ex) when (MiniMaxStatus.ForRefusal(ex, MiniMaxSpeechRequest.FieldNames) is { } status)
        {
            await status.WriteAsync(http.Response);
            return;
        }
        await using (admission)
        {
            ISpeechResponseBody body = delivery.Stream
                ? new MiniMaxEventBody(http, admission.Plan, delivery, streaming.Value)
                : new MiniMaxJsonBody(http, admission.Plan, delivery, admission.Caller.AccountId ?? 0, files, streaming.Value);
            using (body as IDisposable) // its spill buffer
            {
                await admission.CompleteAsync(await streamer.RunAsync(http, admission, body));
            }
        }
    }

    private static Task CreateTaskAsync(HttpContext http, TaskService tasks, FileService files) =>
        AnswerAsync(http, async account =>
        {
            using JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            (string? text, long? fileId) = MiniMaxSpeechRequest.AsyncSource(body.RootElement);
            if (fileId is long id)
            {
                StoredFile file = await files.GetAsync(account, id, http.RequestAborted);
                if (file.Purpose != AsyncInputPurpose)
                {
                    throw new GatewayInputException("text_file_id", $"File {id} was not uploaded with purpose {AsyncInputPurpose}.");
                }
                await using Stream content = files.OpenRead(file);
                text = await TextFiles.ReadAsync(content, file.Filename, files.Options.MaxUploadBytes, http.RequestAborted);
            }
            SpeechRequest request = MiniMaxSpeechRequest.ParseAsync(body.RootElement, text!,
                fileId is null ? MiniMaxSpeechRequest.AsyncMaxCharacters : TextFiles.MaxCharacters);
            MiniMaxSpeech.CheckInvisibleCharacters(request.Input);
            CreatedTask created = await tasks.CreateAsync(ApiKeyEndpointFilter.CallerOf(http), request, http.RequestAborted);
            return new Dictionary<string, object?>
            {
                ["task_id"] = created.Task.Id,
                ["task_token"] = $"vxt_{created.Task.Id:x}",
                ["file_id"] = created.Task.ResultFileId,
                ["usage_characters"] = created.Plan.Text.Characters,
            };
        });

    private static Task QueryTask(HttpContext http, string? taskId, TaskService tasks) =>
        AnswerAsync(http, async account => await TaskDocumentAsync(tasks, await tasks.GetAsync(account, QueryId(taskId, "task_id"), http.RequestAborted)));

    private static Task QueryTaskByBodyAsync(HttpContext http, TaskService tasks) =>
        AnswerAsync(http, async account =>
        {
            using JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            return await TaskDocumentAsync(tasks, await tasks.GetAsync(account, Id(body.RootElement, "task_id"), http.RequestAborted));
        });

    /// <summary>MiniMax's statuses: Processing (queued or running), Success, Failed, and Expired once the result is gone.</summary>
    private static async Task<Dictionary<string, object?>> TaskDocumentAsync(TaskService tasks, SpeechTask task) => new()
    {
        ["task_id"] = task.Id,
        ["status"] = task.State switch
        {
            TaskState.Succeeded => await tasks.ResultExpiredAsync(task) ? "Expired" : "Success",
            TaskState.Failed => "Failed",
            _ => "Processing",
        },
        ["file_id"] = task.ResultFileId,
        ["progress"] = new Dictionary<string, object>
        {
            ["segments_done"] = task.SegmentsDone,
            ["segments_total"] = task.SegmentsTotal,
            ["percent"] = task.SegmentsTotal == 0 ? 0 : Math.Round(100.0 * task.SegmentsDone / task.SegmentsTotal, 1),
        },
        ["error"] = task.State == TaskState.Failed ? task.Error : null,
    };

    private static Task UploadAsync(HttpContext http, FileService files, SpeechGateway gateway, VoiceService voices) =>
        AnswerAsync(http, async account =>
        {
            // An upload is a request like any other: it counts against the key's requests per minute.
            await gateway.AdmitRequestAsync(ApiKeyEndpointFilter.CallerOf(http), "files/upload", http.TraceIdentifier, http.RequestAborted);
            await files.CheckQuotaAsync(account, http.RequestAborted);
            (string purpose, string filename, byte[] content) = await ReadUploadAsync(http.Request,
                Math.Max(files.Options.MaxUploadBytes, voices.Options.MaxUploadBytes), http.RequestAborted);
            if (MiniMaxVoiceEndpoints.RecordingRuleFor(purpose) is { } recording)
            {
                MiniMaxVoiceEndpoints.CheckUpload(recording, content, voices.Options); // decoded now: refused here, not at voice_clone
            }
            else if (purpose != AsyncInputPurpose)
            {
                throw new GatewayInputException("purpose", $"purpose '{purpose}' is not supported here; use {AsyncInputPurpose} for asynchronous text, voice_clone or prompt_audio for recordings.");
            }
            else if (!TextFiles.Extensions.Contains(Path.GetExtension(filename).ToLowerInvariant()))
            {
                throw new GatewayInputException("file", $"'{filename}' is not a .txt, .json or .zip file.");
            }
            else
            {
                using var check = new MemoryStream(content);
                await TextFiles.ReadAsync(check, filename, files.Options.MaxUploadBytes, http.RequestAborted); // refuse unreadable text now, not at task time
            }
            StoredFile file = await files.SaveAsync(account, purpose, filename, files.Options.ResultLifetime,
                (stream, token) => stream.WriteAsync(content, token).AsTask(), http.RequestAborted, withinQuota: true);
            return new Dictionary<string, object?> { ["file"] = FileDocument(http, file, files, link: false) };
        });

    private static Task RetrieveFile(HttpContext http, string? fileId, FileService files) =>
        AnswerAsync(http, async account => new Dictionary<string, object?>
        {
            ["file"] = FileDocument(http, await files.GetAsync(account, QueryId(fileId, "file_id"), http.RequestAborted), files, link: true),
        });

    private static async Task RetrieveContentAsync(HttpContext http, string? file_id, FileService files)
    {
        StoredFile file;
        try
        {
            file = await files.GetAsync(ApiKeyEndpointFilter.CallerOf(http).AccountId ?? throw NoAccount(), QueryId(file_id, "file_id"), http.RequestAborted);
        }
        catch (Exception ex) when (MiniMaxStatus.ForRefusal(ex, MiniMaxSpeechRequest.FieldNames) is { } status)
        {
            await status.WriteAsync(http.Response);
            return;
        }
        await SendFileAsync(http, files, file);
    }

    private static Task ListFiles(HttpContext http, string? purpose, FileService files) =>
        AnswerAsync(http, async account => new Dictionary<string, object?>
        {
            ["files"] = (await files.ListAsync(account, purpose, http.RequestAborted)).Select(f => FileDocument(http, f, files, link: false)).ToList(),
        });

    private static Task DeleteFileAsync(HttpContext http, FileService files) =>
        AnswerAsync(http, async account =>
        {
            using JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            long fileId = Id(body.RootElement, "file_id");
            await files.DeleteAsync(account, fileId, http.RequestAborted);
            return new Dictionary<string, object?> { ["file_id"] = fileId };
        });

    private static async Task DownloadAsync(HttpContext http, string file_id, string? expires, string? signature, FileService files)
    {
        // A link that is not one of ours in any way (ids that are not numbers included) gets the same answer.
        if (!TryParseId(file_id, out long fileId) || !TryParseId(expires, out long until) || signature is null
            || await files.VerifyDownloadAsync(fileId, until, signature, http.RequestAborted) is not { } file)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsJsonAsync(new Dictionary<string, object?>
            {
                ["trace_id"] = http.TraceIdentifier,
                ["base_resp"] = new MiniMaxStatus(MiniMaxStatus.AuthenticationFailed, "The download link is invalid or has expired; retrieve the file again for a new one.").BaseResp,
            }, MiniMaxJson.Options);
            return;
        }
        await SendFileAsync(http, files, file);
    }

    private static async Task SendFileAsync(HttpContext http, FileService files, StoredFile file)
    {
        http.Response.ContentType = Path.GetExtension(file.Filename).ToLowerInvariant() switch
        {
            ".tar" => "application/x-tar",
            ".txt" => "text/plain; charset=utf-8",
            ".json" => "application/json",
            ".zip" => "application/zip",
            string extension => Speech.Encoders.AudioFormats.FromFileExtension(extension) is { } format
                ? Speech.Encoders.AudioFormats.ContentType(format, 24000, 1)
                : "application/octet-stream",
        };
        http.Response.ContentLength = file.Bytes;
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = file.Filename }.ToString();
        await using Stream content = files.OpenRead(file);
        await content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static Dictionary<string, object?> FileDocument(HttpContext http, StoredFile file, FileService files, bool link) => new()
    {
        ["file_id"] = file.Id,
        ["bytes"] = file.Bytes,
        ["created_at"] = file.CreatedAt.ToUnixTimeSeconds(),
        ["filename"] = file.Filename,
        ["purpose"] = file.Purpose,
        ["download_url"] = link ? MiniMaxLinks.Download(http, files, file, files.Options.DownloadLinkLifetime) : null,
    };

    /// <summary>Reads the multipart <c>file</c> and <c>purpose</c> parts, stopping at the size limit; a malformed body is the caller's error.</summary>
    private static async Task<(string Purpose, string Filename, byte[] Content)> ReadUploadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadMultipartAsync(request, maxBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            throw new GatewayInputException("file", $"The upload is not well-formed multipart/form-data ({ex.Message}); send a 'file' part and a 'purpose' field.");
        }
    }

    private static async Task<(string Purpose, string Filename, byte[] Content)> ReadMultipartAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw new GatewayInputException("file", "Upload with Content-Type multipart/form-data: a 'file' part and a 'purpose' field.");
        }
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        string? purpose = null, filename = null;
        byte[]? content = null;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition))
            {
                continue;
            }
            string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = await section.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new GatewayInputException("file", $"The upload is larger than {maxBytes:N0} bytes.");
                }
                buffer.Write(chunk, 0, read);
            }
            if (name == "purpose")
            {
                purpose = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Trim();
            }
            else if (name == "file")
            {
                filename = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload.txt");
                content = buffer.ToArray();
            }
        }
        return (purpose ?? throw new GatewayInputException("purpose", "The upload needs a 'purpose' field."),
            filename ?? "upload.txt",
            content ?? throw new GatewayInputException("file", "The upload needs a 'file' part."));
    }

    /// <summary>Runs an account-scoped action and answers <c>{..., "base_resp"}</c>, or the refusal's status.</summary>
    internal static async Task AnswerAsync(HttpContext http, Func<long, Task<Dictionary<string, object?>>> action)
    {
        try
        {
            long account = ApiKeyEndpointFilter.CallerOf(http).AccountId ?? throw NoAccount();
            Dictionary<string, object?> answer = await action(account);
            answer["trace_id"] = http.TraceIdentifier;
            answer["base_resp"] = MiniMaxStatus.Ok.BaseResp;
            await http.Response.WriteAsJsonAsync(answer, MiniMaxJson.Options, http.RequestAborted);
        }
        catch (Exception ex) when (MiniMaxStatus.ForRefusal(ex, MiniMaxSpeechRequest.FieldNames) is { } status)
        {
            await status.WriteAsync(http.Response);
        }
    }

    internal static long Id(JsonElement body, string name)
    {
        if (JsonFields.TryGet(body, name, out JsonElement value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long id))
            {
                return id;
            }
            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                return parsed; // MiniMax's own examples show ids both as numbers and as strings
            }
        }
        throw MissingId(name);
    }

    /// <summary>An id from the query string: missing or not a positive integer is the caller's error, in MiniMax's format.</summary>
    private static long QueryId(string? value, string name) =>
        value is null ? throw MissingId(name)
        : TryParseId(value, out long id) ? id
        : throw new GatewayInputException(name, $"{name} must be the integer id MiniMax returned; got '{(value.Length > 40 ? value[..40] + "..." : value)}'.");

    private static bool TryParseId(string? value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static GatewayInputException MissingId(string name) => new(name, $"{name} is required: the integer id MiniMax returned.");

    private static GatewayInputException NoAccount() => new("authorization", "This key belongs to no account.");
}
