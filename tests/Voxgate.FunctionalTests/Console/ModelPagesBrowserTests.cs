using Microsoft.Playwright;

namespace Voxgate.Tests.WebConsole;

/// <summary>The public model pages in a real browser: what they show, their headers, and that the browser reports nothing wrong.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ModelPagesBrowserTests(ConsoleFixture console)
{
    [Fact]
    public async Task TheModelsPageListsEveryCatalogModelWithItsPrice()
    {
        await using ConsolePage page = await console.OpenAsync();
        IResponse response = await page.GoAsync("/models");

        Assert.Equal(200, response.Status);
        AssertConsoleHeaders(await response.AllHeadersAsync());
        ILocator rows = page.Page.Locator("table.models tbody tr");
        Assert.Equal(11, await rows.CountAsync()); // src/Voxgate/catalog.json's models
        ILocator hd = rows.Filter(new LocatorFilterOptions { HasText = "minimax/minimax-speech-02-hd" });
        Assert.Equal("$0.100", (await hd.Locator("td.price").InnerTextAsync()).Trim());
        Assert.Equal("$0.005", (await rows.Filter(new LocatorFilterOptions { HasText = "voxgate/flite" }).Locator("td.price").InnerTextAsync()).Trim());
        await page.ScreenshotAsync("models");
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task AModelPageShowsPriceCapabilitiesExamplesErrorsAndVoices()
    {
        await using ConsolePage page = await console.OpenAsync();
        await page.GoAsync("/models");
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "MiniMax Speech-02 HD", Exact = true }).ClickAsync();
        await page.WaitForUrlAsync("**/models/minimax/minimax-speech-02-hd");

        Assert.Equal("MiniMax Speech-02 HD", await page.Page.Locator("h1").InnerTextAsync());
        Assert.Contains("$0.100", await page.Page.Locator(".price").InnerTextAsync());
        Assert.Contains("5% applied at credit top-up", await page.Page.InnerTextAsync("body"));
        Assert.Contains("Voiceovers", await page.Page.Locator("ul.chips").InnerTextAsync());
        // No upstream is configured on the test server: served locally by Flite, which mixes no voices.
        Assert.Contains("local", await page.Page.Locator(".route").First.InnerTextAsync());
        ILocator mixing = page.Page.Locator("table.capabilities tr", new() { HasText = "Voice mixing" });
        Assert.Equal("no", await mixing.Locator("td span").First.InnerTextAsync());
        ILocator streaming = page.Page.Locator("table.capabilities tr", new() { HasText = "Streaming" });
        Assert.Equal("yes", await streaming.Locator("td span").First.InnerTextAsync());
        // The example calls this very server.
        string curl = await page.Page.Locator("#example-curl").InnerTextAsync();
        Assert.Contains($"{console.Server.BaseAddress.ToString().TrimEnd('/')}/v1/audio/speech", curl);
        Assert.Contains("\"model\":\"minimax/minimax-speech-02-hd\"", curl);
        Assert.Contains("insufficient_credits", await page.Page.Locator("table.errors").InnerTextAsync());
        Assert.True(await page.Page.Locator("table.voices tbody tr").CountAsync() >= 3, "Flite's voices are listed");
        Assert.Contains("alloy", await page.Page.Locator("table.voices").InnerTextAsync());
        await page.ScreenshotAsync("model-minimax-speech-02-hd");
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task AnEncodedSlashOrAnAliasLeadsToTheModelsOwnAddress()
    {
        await using ConsolePage page = await console.OpenAsync();
        await page.GoAsync("/models/minimax%2Fminimax-speech-02-hd");
        Assert.EndsWith("/models/minimax/minimax-speech-02-hd", page.Page.Url);
        await page.GoAsync("/models/tts-1");
        Assert.EndsWith("/models/voxgate/flite", page.Page.Url);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task AnUnknownModelIsAnHtmlNotFoundPage()
    {
        await using ConsolePage page = await console.OpenAsync();
        IResponse response = await page.GoAsync("/models/nobody/nothing");
        Assert.Equal(404, response.Status);
        Assert.Equal("No such model", await page.Page.Locator("h1").InnerTextAsync());
        AssertConsoleHeaders(await response.AllHeadersAsync());
    }

    [Fact]
    public async Task TheCopyButtonCopiesTheExample()
    {
        await using ConsolePage page = await console.OpenAsync();
        await page.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GoAsync("/models/voxgate/espeak-ng");
        await page.Page.Locator("button[data-copy='example-python']").ClickAsync();
        await Assertions.Expect(page.Page.Locator("button[data-copy='example-python']")).ToHaveTextAsync("Copied");
        string copied = await page.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Contains("model=\"voxgate/espeak-ng\"", copied);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task TheProblemRecorderSeesAnInlineScriptTheBrowserRefused()
    {
        // The recorder the other tests rely on must be able to fail: an inline script breaks the policy.
        await using ConsolePage page = await console.OpenAsync();
        await page.GoAsync("/models");
        await page.Page.EvaluateAsync("""
            () => { const s = document.createElement("script"); s.textContent = "window.ran = true"; document.body.appendChild(s); }
            """);
        await page.Page.WaitForFunctionAsync("() => window.__violations.length > 0");
        Assert.Contains(await page.ProblemsAsync(), p => p.StartsWith("CSP violation: script-src", StringComparison.Ordinal));
        Assert.False(await page.Page.EvaluateAsync<bool>("() => window.ran === true"));
    }

    internal static void AssertConsoleHeaders(Dictionary<string, string> headers)
    {
        string policy = headers["content-security-policy"];
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("style-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("same-origin", headers["referrer-policy"]);
    }
}
