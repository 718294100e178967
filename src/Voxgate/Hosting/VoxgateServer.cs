using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Voxgate.Admin;
using Voxgate.Customers;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Storage;
using Voxgate.Health;
using Voxgate.Http;
using Voxgate.MiniMax;
using Voxgate.Models;
using Voxgate.OpenAi;
using Voxgate.Speech;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Settings;
using Voxgate.WebConsole;

namespace Voxgate.Hosting;

/// <summary>Builds the HTTP server: configuration, services, middleware and both API surfaces' endpoints.</summary>
public static partial class VoxgateServer
{
    /// <summary>Kestrel's own ceiling; each endpoint enforces its tighter limit while reading, in its own error format.</summary>
    private const long KestrelMaxRequestBodyBytes = 64L * 1024 * 1024;

    public static WebApplication Build(string[] args, ServerSettings settings)
    {
        bool contentRootGiven = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase));
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The launcher runs from the checkout; the configuration files sit beside the executable.
            ContentRootPath = contentRootGiven ? null : AppContext.BaseDirectory,
        });
        Directory.CreateDirectory(settings.DataDirectory);
        builder.Configuration.AddVoxgateCatalog(builder.Environment.ContentRootPath, settings.DataDirectory);
        builder.Configuration.AddVoxgateVariables(settings.DataDirectory);
        builder.WebHost.UseUrls(settings.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = KestrelMaxRequestBodyBytes;
        });

        builder.Services.AddVoxgateSpeech(builder.Configuration);
        builder.Services.AddVoxgateGateway(builder.Configuration);
        // The routes the speech planner's and the gateway's messages point callers to: they are this host's, not theirs.
        builder.Services.AddSingleton(new Speech.Synthesis.SurfaceHints
        {
            ModelList = "GET /v1/models",
            VoiceList = "GET /v1/voices",
            VoiceCloning = "POST /v1/voice_clone",
            CustomVoiceList = "GET /v1/audio/voices and POST /v1/get_voice",
        });
        builder.Services.AddVoxgateStorage(builder.Configuration);
        builder.Services.AddSingleton<DatabaseHealth>();
        builder.Services.AddHostedService<StorageStartup>();
        builder.Services.AddHostedService<LimitsStartup>();
        builder.Services.AddVoxgateTaskWorkers<MiniMaxTaskPackager>();
        builder.Services.AddValidatedOptions<OpenAiOptions>(builder.Configuration, OpenAiOptions.Section);
        builder.Services.AddSingleton<SpeechStreamer>();
        builder.Services.AddValidatedOptions<MiniMaxWebSocketOptions>(builder.Configuration, MiniMaxWebSocketOptions.Section);
        builder.Services.AddSingleton<MiniMaxSpeechSocket.Services>();
        builder.Services.AddSingleton<Speech.Models.IModelVerifier, ChildProcessModelVerifier>();
        builder.Services.AddHostedService<ModelLoaderService>();
        builder.Services.AddValidatedOptions<MetricsOptions>(builder.Configuration, MetricsOptions.Section);
        builder.AddVoxgateObservability();
        // The OpenAPI document describes bodies with these settings, so its schemas use the API's snake_case names.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Voxgate";
            document.Info.Description = "Self-hosted speech synthesis behind an OpenAI-compatible API.";
            return Task.CompletedTask;
        }).AddOperationTransformer(OpenAiErrorTable.DescribeResponsesAsync));
        builder.Services.AddVoxgateConsole();

        // Behind a proxy that terminates TLS (deploy/nginx), links the server builds (MiniMax download_url) must carry
        // the client's scheme: with Voxgate:Proxy:TrustForwardedHeaders the proxy's X-Forwarded-Proto and -For are
        // believed. Only for nodes no client reaches except through the proxy, which is why it is off by default.
        bool trustProxy = builder.Configuration.GetValue<bool>("Voxgate:Proxy:TrustForwardedHeaders");
        if (trustProxy)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.KnownIPNetworks.Clear(); // the proxy may reach the node over a Unix socket, with no address
                forwarded.KnownProxies.Clear();
                forwarded.ForwardLimit = 1; // the last proxy's word only: what a client put before it is not believed
            });
        }

        WebApplication app = builder.Build();
        try
        {
            InvalidSettingsException.ThrowIfAny(app.Services);
        }
        catch (InvalidSettingsException)
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        if (trustProxy)
        {
            app.UseForwardedHeaders();
        }
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledErrorAsync });
        app.UseStatusCodePages(WriteStatusCodeErrorAsync);
        app.UseWebSockets();

        app.MapOpenApi("/openapi.json");
        app.MapHealthEndpoints();
        app.MapOpenAiApi();
        app.MapCustomerApi();
        app.MapMiniMaxApi();
        app.MapMiniMaxWebSocket();
        app.MapAdminApi();
        app.MapModelAdminApi();
        app.MapVoxgateMetrics();
        app.MapVoxgateConsole();

        PrepareAtStartup(app);
        return app;
    }

    /// <summary>
    /// Before the first request: engines loaded (so /readyz is truthful and no caller waits) and the authentication mode
    /// announced. The database's part of the start (migrations, the master key, what a dead process left) is
    /// <see cref="StorageStartup"/>'s.
    /// </summary>
    private static void PrepareAtStartup(WebApplication app)
    {
        SpeechEngineRegistry registry = app.Services.GetRequiredService<SpeechEngineRegistry>();
        app.Services.GetRequiredService<ModelCatalog>();
        AuthOptions auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!auth.Required)
        {
            LogAuthenticationOff(app.Logger);
        }
        if (auth.AdminKey is { Length: > 0 and < 16 })
        {
            LogWeakAdminKey(app.Logger);
        }
        app.Lifetime.ApplicationStarted.Register(() =>
            LogReady(app.Logger, registry.Engines.Count, registry.Voices.Count, string.Join(", ", app.Urls)));
    }

    private static Task WriteUnhandledErrorAsync(HttpContext http)
    {
        if (http.Features.Get<IExceptionHandlerFeature>()?.Error is { } failure && DatabaseHealth.IsUnreachable(failure))
        {
            // The database is away: a retryable 503, not a server error, and /readyz says so until it is back.
            http.RequestServices.GetRequiredService<DatabaseHealth>().Failed(failure);
            return IsMiniMax(http)
                ? new MiniMaxStatus(MiniMaxStatus.Timeout, $"The service's database cannot be reached; nothing was charged. Retry shortly (trace {http.TraceIdentifier}).",
                    TimeSpan.FromSeconds(2)).WriteAsync(http.Response)
                : new OpenAiError(503, OpenAiError.ServiceUnavailable,
                    $"The service's database cannot be reached; nothing was charged. Retry shortly (request {http.TraceIdentifier}).", null, "database_unavailable",
                    TimeSpan.FromSeconds(2)).WriteAsync(http.Response);
        }
        if (IsMiniMax(http))
        {
            return new MiniMaxStatus(MiniMaxStatus.UnknownError, $"The server failed to handle the request. Report trace {http.TraceIdentifier}.").WriteAsync(http.Response);
        }
        var error = new OpenAiError(500, OpenAiError.ServerError,
            $"The server failed to handle the request. Report request {http.TraceIdentifier}.", null, "internal_error");
        return error.WriteAsync(http.Response);
    }

    private static Task WriteStatusCodeErrorAsync(StatusCodeContext context)
    {
        HttpContext http = context.HttpContext;
        string what = $"{http.Request.Method} {http.Request.Path}";
        if (IsMiniMax(http))
        {
            int status = http.Response.StatusCode;
            http.Response.StatusCode = status; // MiniMax clients read base_resp; the HTTP status says what kind of miss it was
            http.Response.Headers[MiniMaxTraceHeader.Name] = http.TraceIdentifier;
            return http.Response.WriteAsJsonAsync(new Dictionary<string, object?>
            {
                ["trace_id"] = http.TraceIdentifier,
                ["base_resp"] = MiniMaxStatus.Invalid(null, $"{what} failed with HTTP {status}: no such endpoint or method.").BaseResp,
            }, MiniMaxJson.Options);
        }
        OpenAiError error = http.Response.StatusCode switch
        {
            404 => new OpenAiError(404, OpenAiError.NotFound, $"No endpoint matches {what}. GET /openapi.json lists the API.", null, "unknown_url"),
            405 => new OpenAiError(405, OpenAiError.InvalidRequest, $"{what} is not allowed; see GET /openapi.json for the methods of this path.", null, "method_not_allowed"),
            415 => OpenAiError.From(JsonRequestBody.NotJson(http.Request)),
            int status => new OpenAiError(status, OpenAiError.InvalidRequest, $"{what} failed with HTTP {status}.", null, null),
        };
        return error.WriteAsync(http.Response);
    }

    private static bool IsMiniMax(HttpContext http) => http.Request.Path.StartsWithSegments(MiniMaxEndpoints.Prefix);

    [LoggerMessage(Level = LogLevel.Critical, Message = "AUTHENTICATION IS OFF (VOXGATE_AUTH=off): anyone who can reach this server can synthesise without a key, unmetered and free. Use this only on a machine you alone can reach.")]
    private static partial void LogAuthenticationOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VOXGATE_ADMIN_KEY is shorter than 16 characters; choose a long random key")]
    private static partial void LogWeakAdminKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Voxgate ready: {EngineCount} engines, {VoiceCount} voices, listening on {Urls}")]
    private static partial void LogReady(ILogger logger, int engineCount, int voiceCount, string urls);
}
