using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebConsole;

/// <summary>Compare, rankings, the API reference and llms.txt in a real browser, against a server that has served speech.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsolePagesBrowserTests(ConsoleFixture console)
{
    [Fact]
    public async Task CompareShowsTwoModelsSideBySide()
    {
        await using ConsolePage page = await console.OpenAsync();
        await page.GoAsync("/models");
        await page.Page.GetByLabel("Compare eSpeak NG").CheckAsync();
        await page.Page.GetByLabel("Compare MiniMax Speech-02 HD").CheckAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Compare selected" }).ClickAsync();
        await page.WaitForUrlAsync("**/compare?**");

        ILocator columns = page.Page.Locator("table.compare thead th a");
        Assert.Equal(["eSpeak NG", "MiniMax Speech-02 HD"], await columns.AllInnerTextsAsync());
        Assert.Equal(["$0.002", "$0.100"], await page.Page.Locator("table.compare td.price").AllInnerTextsAsync());
        Assert.Equal(3, await page.Page.Locator("table.capabilities thead th").CountAsync());
        await page.ScreenshotAsync("compare");
        await page.AssertCleanAsync();

        // The comma-separated form a link writes, with an alias and an unknown name.
        await page.GoAsync("/compare?models=tts-1,minimax/speech-2.8-turbo,nobody/nothing");
        Assert.Equal(["Voxgate Flite", "MiniMax Speech 2.8 Turbo"], await columns.AllInnerTextsAsync());
        Assert.Contains("nobody/nothing", await page.Page.Locator("main").InnerTextAsync());
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task RankingsOrderModelsByCharactersWithAChart()
    {
        using HttpClient api = console.Server.Client().WithKey(console.Server.ApiKey);
        string text = "Rankings count the characters each model speaks.";
        await SpeakAsync(api, "voxgate/espeak-ng", text);
        await SpeakAsync(api, "voxgate/espeak-ng", text);
        await SpeakAsync(api, "voxgate/local-hd", text);

        await using ConsolePage page = await console.OpenAsync();
        await page.GoAsync("/rankings");
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "24 hours" }).ClickAsync();
        await page.WaitForUrlAsync("**/rankings?window=24h");

        IReadOnlyList<string> models = await page.Page.Locator("table.rankings tbody td code").AllInnerTextsAsync();
        int espeak = models.ToList().IndexOf("voxgate/espeak-ng");
        int localHd = models.ToList().IndexOf("voxgate/local-hd");
        Assert.True(espeak >= 0 && localHd > espeak, string.Join(", ", models));
        ILocator espeakRow = page.Page.Locator("table.rankings tbody tr", new() { HasText = "voxgate/espeak-ng" });
        Assert.True(long.Parse(await espeakRow.Locator("td.num").Nth(1).InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= 2 * text.Length);
        Assert.True(await page.Page.Locator("svg.chart rect.bar").CountAsync() >= 2 * models.Count);
        Assert.Equal("current", (await page.Page.GetByRole(AriaRole.Link, new() { Name = "24 hours" }).GetAttributeAsync("class"))?.Split(' ').Last());
        await page.ScreenshotAsync("rankings");
        await page.AssertCleanAsync();

        // The model page's live figures read the same usage.
        await page.GoAsync("/models/voxgate/espeak-ng");
        string figures = await page.Page.Locator("dl.figures").InnerTextAsync();
        Assert.Contains("100.0", figures);
        Assert.DoesNotContain("not measured", figures); // time to first byte and characters per second, from the usage rows
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task TheApiReferenceRendersTheServersOwnOpenApiDocument()
    {
        await using ConsolePage page = await console.OpenAsync();
        IResponse response = await page.GoAsync("/api");
        Assert.Equal(200, response.Status);
        ModelPagesBrowserTests.AssertConsoleHeaders(await response.AllHeadersAsync());

        using HttpClient http = console.Server.Client();
        using JsonDocument document = JsonDocument.Parse(await http.GetStringAsync("openapi.json"));
        int operations = document.RootElement.GetProperty("paths").EnumerateObject().Sum(p => p.Value.EnumerateObject().Count());
        Assert.Equal(operations, await page.Page.Locator("details.operation summary .method").CountAsync());

        ILocator speech = page.Page.Locator("details.operation", new() { HasText = "/v1/audio/speech" }).First;
        await speech.Locator("summary").ClickAsync();
        string body = await speech.InnerTextAsync();
        Assert.Contains("wallet cannot cover the request", body); // the 402's description, from OpenAiErrorTable
        await speech.Locator("a[href='#schema-SpeechRequestDocument']").ClickAsync();
        Assert.Contains("response_format", await page.Page.Locator("#schema-SpeechRequestDocument").InnerTextAsync());
        await page.ScreenshotAsync("api-reference");
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task LlmsTxtDescribesTheApiAndEveryModel()
    {
        await using ConsolePage page = await console.OpenAsync();
        IResponse response = await page.GoAsync("/llms.txt");
        Assert.Equal(200, response.Status);
        Dictionary<string, string> headers = await response.AllHeadersAsync();
        Assert.StartsWith("text/plain", headers["content-type"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        string text = await response.TextAsync();
        Assert.StartsWith("# Voxgate\n", text);
        string baseUrl = console.Server.BaseAddress.ToString().TrimEnd('/');
        Assert.Contains($"`POST {baseUrl}/v1/audio/speech`", text);
        using HttpClient api = console.Server.Client().WithKey(console.Server.ApiKey);
        using JsonDocument models = JsonDocument.Parse(await api.GetStringAsync("v1/models"));
        foreach (JsonElement model in models.RootElement.GetProperty("data").EnumerateArray())
        {
            string id = model.GetProperty("id").GetString()!;
            Assert.Contains($"`{id}`", text);
            Assert.Contains($"({baseUrl}/models/{id})", text);
        }
        Assert.Contains("`insufficient_credits`", text);
        await page.ScreenshotAsync("llms-txt");
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task TheConsoleLeavesTheApiRoutesAlone()
    {
        using HttpClient anonymous = console.Server.Client();
        using HttpResponseMessage models = await anonymous.GetAsync("v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, models.StatusCode);
        Assert.Equal("application/json", models.Content.Headers.ContentType?.MediaType);
        Assert.False(models.Headers.Contains("Content-Security-Policy"));
        using HttpResponseMessage unknown = await anonymous.GetAsync("no/such/path");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.Equal("unknown_url", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        // The pages are not API operations: the document lists none of them.
        using JsonDocument document = JsonDocument.Parse(await anonymous.GetStringAsync("openapi.json"));
        string[] paths = [.. document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name)];
        Assert.DoesNotContain(paths, p => p is "/models" or "/compare" or "/rankings" or "/api" or "/llms.txt" || p.StartsWith("/console", StringComparison.Ordinal));
    }

    private static async Task SpeakAsync(HttpClient api, string model, string text)
    {
        using HttpResponseMessage response = await api.PostAsJsonAsync("v1/audio/speech", new { model, input = text, voice = "alloy" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsByteArrayAsync();
    }
}
