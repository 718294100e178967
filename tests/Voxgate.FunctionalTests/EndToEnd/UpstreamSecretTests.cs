using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.EndToEnd;

/// <summary>
/// A careless provider on loopback (port 0): its errors echo secrets back, the key it was called with among them, as
/// a provider that quotes the request in its errors would. The voice says how it fails (OpenAI-compatible surface);
/// its MiniMax-compatible surface always refuses, quoting the key in <c>base_resp.status_msg</c>.
/// </summary>
public sealed class CarelessProvider : IAsyncDisposable
{
    /// <summary>A secret of the provider's own that its errors quote.</summary>
    public const string LeakedSecret = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";

    private readonly WebApplication _app;

    private CarelessProvider(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.Single().TrimEnd('/') + "/");

    public static async Task<CarelessProvider> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        app.MapPost("/v1/audio/speech", RespondAsOpenAiAsync);
        app.MapPost("/minimax/v1/t2a_v2", (HttpContext http) => http.Response.WriteAsJsonAsync(new
        {
            base_resp = new { status_code = 2013, status_msg = $"invalid params: voice unknown for {http.Request.Headers.Authorization} (debug {LeakedSecret})" },
        }));
        await app.StartAsync();
        return new CarelessProvider(app);
    }

    private static async Task RespondAsOpenAiAsync(HttpContext http)
    {
        using JsonDocument body = await JsonDocument.ParseAsync(http.Request.Body);
        string authorization = http.Request.Headers.Authorization.ToString();
        switch (body.RootElement.GetProperty("voice").GetString())
        {
            case "refuse":
                http.Response.StatusCode = 400;
                await http.Response.WriteAsJsonAsync(new { error = new { message = $"Voice 'refuse' is unknown. You sent {authorization}; our key is {LeakedSecret}.", type = "invalid_request_error" } });
                break;
            case "unauthorized":
                http.Response.StatusCode = 401;
                await http.Response.WriteAsJsonAsync(new { error = new { message = $"Incorrect API key provided: {authorization["Bearer ".Length..]}.", type = "invalid_request_error" } });
                break;
            default:
                http.Response.StatusCode = 500;
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync($"Internal error.\nRequest headers:\nAuthorization: {authorization}\nX-Debug-Secret: {LeakedSecret}\n");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A real gateway process whose models "careless/tts" and "careless/minimax" route to the careless provider.</summary>
public sealed class CarelessProviderGateway(Uri provider) : ServerProcess
{
    /// <summary>The operator's key for the provider, which the provider echoes back.</summary>
    public const string OperatorKey = "sk-live-OPERATOR-0123456789abcdefABCDEF";

    protected override Task PrepareDataAsync(string dataDirectory) => File.WriteAllTextAsync(Path.Combine(dataDirectory, "catalog.json"), """
        {
          "Voxgate": {
            "Catalog": {
              "Models": [
                { "Id": "careless/tts", "Engine": "flite", "Upstream": "openai", "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                { "Id": "careless/minimax", "Engine": "flite", "Upstream": "minimax", "UpstreamModel": "speech-02-hd", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" }
              ]
            }
          }
        }
        """);

    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Upstreams__openai__Kind", "OpenAi"),
        new("Voxgate__Upstreams__openai__BaseUrl", new Uri(provider, "v1").ToString()),
        new("Voxgate__Upstreams__openai__ApiKey", OperatorKey),
        new("Voxgate__Upstreams__minimax__Kind", "MiniMax"),
        new("Voxgate__Upstreams__minimax__BaseUrl", new Uri(provider, "minimax").ToString()),
        new("Voxgate__Upstreams__minimax__ApiKey", OperatorKey),
    ];
}

public sealed class CarelessProviderPair : IAsyncLifetime
{
    public CarelessProvider Provider { get; private set; } = null!;

    public CarelessProviderGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await CarelessProvider.StartAsync();
        Gateway = new CarelessProviderGateway(Provider.BaseAddress);
        await Gateway.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public class UpstreamSecretTests(CarelessProviderPair pair) : IClassFixture<CarelessProviderPair>
{
    private static readonly string[] s_secrets =
    [
        CarelessProvider.LeakedSecret, CarelessProvider.LeakedSecret[8..24],
        CarelessProviderGateway.OperatorKey, CarelessProviderGateway.OperatorKey[8..24],
    ];

    [Fact]
    public async Task SecretsInAProvidersErrorsReachNeitherTheCustomerNorTheLog()
    {
        using HttpClient client = new HttpClient { BaseAddress = pair.Gateway.BaseAddress }.WithKey(pair.Gateway.ApiKey);

        HttpResponseMessage refused = await client.PostSpeechAsync(new { model = "careless/tts", input = "Hello.", voice = "refuse" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        string refusal = (await refused.ErrorAsync()).GetProperty("message").GetString()!;
        Assert.Contains("answered 400: Voice 'refuse' is unknown. You sent Bearer [redacted]; our key is [redacted].", refusal);

        HttpResponseMessage failed = await client.PostSpeechAsync(new { model = "careless/tts", input = "Hello.", voice = "crash" });
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        string failure = (await failed.ErrorAsync()).GetProperty("message").GetString()!;
        Assert.Contains("answered 500: Internal error. Request headers: Authorization: Bearer [redacted] X-Debug-Secret: [redacted]", failure);

        HttpResponseMessage unauthorized = await client.PostSpeechAsync(new { model = "careless/tts", input = "Hello.", voice = "unauthorized" });
        Assert.Equal(HttpStatusCode.InternalServerError, unauthorized.StatusCode);
        string keyRefusal = await unauthorized.Content.ReadAsStringAsync();

        JsonElement miniMax = await new MiniMaxApi(client).PostAsync("t2a_v2", new { model = "careless/minimax", text = "Hello.", voice_setting = new { voice_id = "anyone" } });
        Assert.Equal(2013, MiniMaxApi.StatusCode(miniMax));
        string miniMaxRefusal = MiniMaxApi.StatusMessage(miniMax);
        Assert.Contains("answered 2013: invalid params: voice unknown for Bearer [redacted] (debug [redacted])", miniMaxRefusal);

        // The server logs each failure with its exception, so its message (the provider's words) is in the log too.
        string log = await LogContainingAsync("answered 400:", "answered 500:", "answered 401:", "answered 2013:");
        foreach (string secret in s_secrets)
        {
            Assert.DoesNotContain(secret, refusal);
            Assert.DoesNotContain(secret, failure);
            Assert.DoesNotContain(secret, keyRefusal);
            Assert.DoesNotContain(secret, miniMaxRefusal);
            Assert.DoesNotContain(secret, log);
        }
    }

    /// <summary>The server's output once it shows every one of <paramref name="lines"/> (the console logger writes behind the requests).</summary>
    private async Task<string> LogContainingAsync(params string[] lines)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            string output = pair.Gateway.Output;
            if (lines.All(output.Contains))
            {
                return output;
            }
            await Task.Delay(50);
        }
        string missing = string.Join(", ", lines.Where(l => !pair.Gateway.Output.Contains(l)));
        throw new TimeoutException($"the server never logged {missing}:\n{pair.Gateway.Output}");
    }
}
