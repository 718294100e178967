using System.ComponentModel.DataAnnotations;
using System.Net;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Voxgate.Auth;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Metrics;
using Voxgate.OpenAi;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Hosting;

/// <summary><c>Voxgate:Metrics</c>: the Prometheus scrape endpoint.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Voxgate:Metrics";

    public bool Enabled { get; set; } = true;

    [RegularExpression("/.*", ErrorMessage = "must start with /")]
    public string Path { get; set; } = "/metrics";
}

/// <summary>
/// Metrics and traces through OpenTelemetry: the meters <c>Voxgate.Speech</c> and <c>Voxgate.Gateway</c> and ASP.NET
/// Core's own (<c>http.server.request.duration</c> by route template and status) served as Prometheus text at
/// <see cref="MetricsOptions.Path"/>; traces of every HTTP request sent over OTLP only when an endpoint is configured
/// (<c>Voxgate:Tracing:OtlpEndpoint</c>, or OpenTelemetry's own <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). With neither,
/// nothing is registered: the meters' instruments then have no listener and cost a branch each.
/// </summary>
public static class Observability
{
    public const string OtlpEndpointSetting = "Voxgate:Tracing:OtlpEndpoint";

    public static void AddVoxgateObservability(this WebApplicationBuilder builder)
    {
        MetricsOptions metrics = Options(builder.Configuration);
        string? voxgateOtlp = NonEmpty(builder.Configuration[OtlpEndpointSetting]);
        string? otlp = voxgateOtlp ?? NonEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!metrics.Enabled && otlp is null)
        {
            return;
        }
        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("voxgate", serviceInstanceId: builder.Configuration[Gateway.NodeIdentity.Setting] ?? Environment.MachineName));
        if (metrics.Enabled)
        {
            telemetry.WithMetrics(meters => meters
                .AddMeter(SpeechMetrics.MeterName, GatewayMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        }
        if (otlp is not null)
        {
            telemetry.WithTracing(traces => traces
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    aspNetCore.Filter = http => !http.Request.Path.StartsWithSegments(metrics.Path);
                    // A query string can carry a signed link's signature: spans keep the path only.
                    aspNetCore.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddOtlpExporter(exporter =>
                {
                    // OpenTelemetry's own variables (OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS) are read by the
                    // exporter itself; Voxgate's setting, when given, names the endpoint as it is (gRPC by default;
                    // with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, the full URL ending in /v1/traces).
                    if (voxgateOtlp is not null)
                    {
                        exporter.Endpoint = new Uri(voxgateOtlp);
                    }
                }));
        }
    }

    /// <summary>
    /// Maps the scrape endpoint, open to a scraper on this machine (a loopback address, and no proxy's forwarding
    /// header: a proxy on the same machine passes on other people's requests) and otherwise only with an admin-scope
    /// key, answered 401/403 in OpenAI's error format like <c>/admin</c>. Starts the gauges that are read at scrape time.
    /// </summary>
    public static void MapVoxgateMetrics(this WebApplication app)
    {
        MetricsOptions metrics = Options(app.Configuration);
        if (!metrics.Enabled)
        {
            return;
        }
        app.Services.GetRequiredService<StoreGauges>();
        SherpaModels models = app.Services.GetRequiredService<SherpaModels>();
        app.Services.GetRequiredService<SpeechMetrics>().ObserveModels(() => models.Status.Select(m => (m.Id, m.Status)));
        app.MapPrometheusScrapingEndpoint(metrics.Path, meterProvider: null, optionsName: null,
            configureBranchedPipeline: branch => branch.Use(async (http, next) =>
            {
                if (IsLocalScraper(http))
                {
                    await next(http);
                    return;
                }
                ApiKeyAuthenticator authenticator = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
                (Caller? caller, AuthenticationFailure failure) = await authenticator.AuthenticateForAsync(http.Request.Headers.Authorization.ToString(), KeyScopes.Admin, http.RequestAborted);
                AccessDenial? denial = caller is null ? new AccessDenial(StatusCodes.Status401Unauthorized, ApiKeyAuthenticator.Describe(failure), failure)
                    : !caller.Can(KeyScopes.Admin) ? new AccessDenial(StatusCodes.Status403Forbidden, "This API key lacks the 'admin' scope needed here.", null)
                    : null;
                if (denial is not null)
                {
                    await OpenAiError.From(denial).ToResult().ExecuteAsync(http);
                    return;
                }
                await next(http);
            }));
    }

    private static MetricsOptions Options(IConfiguration configuration) =>
        configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();

    private static bool IsLocalScraper(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        && !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
