using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebConsole;

/// <summary>
/// The console bench with a provider configured: its own gateway process whose provider "openai" is a second, real
/// Voxgate process (its OpenAI surface), so the dashboard has a provider to attach a key for. Kept apart from
/// <see cref="ConsoleFixture"/>'s server, whose catalog the model pages' tests rely on.
/// </summary>
public sealed class ByokConsoleFixture : ConsoleFixture
{
    public ByokConsoleFixture()
        : this(new ServerProcess())
    {
    }

    private ByokConsoleFixture(ServerProcess upstream)
        : base(new ByokGateway(upstream)) => Upstream = upstream;

    /// <summary>The provider: a Voxgate process with its own accounts and keys.</summary>
    public ServerProcess Upstream { get; }

    /// <summary>A key of a second account on the provider, which a gateway customer attaches as their own.</summary>
    public string CustomerUpstreamKey { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await Upstream.InitializeAsync(); // first: the gateway's environment names its address
        CustomerUpstreamKey = await Upstream.CreateFundedKeyAsync("byok-customer", "10.00");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>Requests the provider has served for <paramref name="key"/>'s account, from its own usage API.</summary>
    public async Task<int> UpstreamRequestsAsync(string key)
    {
        using HttpClient http = Upstream.Client().WithKey(key);
        JsonElement usage = await (await http.GetAsync("v1/usage")).JsonAsync();
        return usage.GetProperty("total").GetProperty("requests").GetInt32();
    }

    /// <summary>The gateway: model "relay/tts" goes to provider "openai" (the upstream process, with the operator's key there).</summary>
    private sealed class ByokGateway(ServerProcess upstream) : ServerProcess
    {
        protected override Task PrepareDataAsync(string dataDirectory) => File.WriteAllTextAsync(Path.Combine(dataDirectory, "catalog.json"), """
            {
              "Voxgate": {
                "Catalog": {
                  "VoiceAliases": { "alloy": "flite:slt" },
                  "Models": [
                    { "Id": "relay/tts", "Engine": "flite", "Upstream": "openai", "UpstreamModel": "tts-1", "PricePer1KCharactersMicros": 10000, "DefaultVoice": "flite:slt" },
                    { "Id": "voxgate/flite", "Aliases": [ "tts-1" ], "Engine": "flite", "PricePer1KCharactersMicros": 5000, "DefaultVoice": "flite:slt" }
                  ]
                }
              }
            }
            """);

        protected override IEnumerable<KeyValuePair<string, string>> Environment =>
        [
            new("Voxgate__Upstreams__openai__Kind", "OpenAi"),
            new("Voxgate__Upstreams__openai__BaseUrl", new Uri(upstream.BaseAddress, "v1").ToString()),
            new("Voxgate__Upstreams__openai__ApiKey", upstream.ApiKey),
            new("Voxgate__Upstreams__openai__TimeoutSeconds", "20"),
        ];
    }
}

[CollectionDefinition(Name)]
public sealed class ByokConsoleCollection : ICollectionFixture<ByokConsoleFixture>
{
    public const string Name = "Console with a provider, in a browser";
}

/// <summary>
/// Bring-your-own-key in the dashboard, in a real browser: attach a provider key, see only its last four characters
/// (the key itself nowhere in the page), replace it, have a request routed with it, remove it; every page clean,
/// with screenshots.
/// </summary>
[Collection(ByokConsoleCollection.Name)]
public sealed class ByokDashboardBrowserTests(ByokConsoleFixture console)
{
    private const string FirstKey = "sk-first-attached-key-0123456789WXYZ";

    private static ILocator Hint(ConsolePage page) => page.Page.Locator("table.provider-keys tr[data-provider='openai'] td.hint");

    private static async Task AttachAsync(ConsolePage page, string providerKey)
    {
        await page.Page.GetByLabel("Provider").SelectOptionAsync("openai");
        await page.Page.GetByLabel("Key", new() { Exact = true }).FillAsync(providerKey);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Attach or replace" }).ClickAsync();
        await Assertions.Expect(Hint(page)).ToHaveTextAsync("..." + providerKey[^4..]);
    }

    /// <summary>Asserts no part of <paramref name="providerKey"/> beyond its last four characters is in the page's HTML.</summary>
    private static async Task AssertOnlyTheHintAsync(ConsolePage page, string providerKey)
    {
        string html = await page.Page.ContentAsync();
        Assert.DoesNotContain(providerKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain(providerKey[..^4], html, StringComparison.Ordinal);
        Assert.Equal("", await page.Page.GetByLabel("Key", new() { Exact = true }).InputValueAsync());
    }

    [Fact]
    public async Task AttachReplaceAndRemoveAProviderKeyShowingOnlyItsLastFourCharacters()
    {
        string key = await console.Server.CreateFundedKeyAsync("byok-dash", "5.00");
        string customerKey = console.CustomerUpstreamKey;
        await using ConsolePage page = await console.OpenAsync();
        await page.SignInAsync(key);
        await page.GoAsync("/console/provider-keys");
        Assert.Equal(1, await page.Page.Locator("#no-provider-keys").CountAsync());
        await page.ScreenshotAsync("provider-keys-empty");
        await page.AssertCleanAsync();

        await AttachAsync(page, FirstKey);
        await AssertOnlyTheHintAsync(page, FirstKey);
        await page.ScreenshotAsync("provider-keys-attached");
        await page.AssertCleanAsync();

        // Replaced by the customer's own key at the provider: one row, the new hint, neither key in the page.
        await AttachAsync(page, customerKey);
        Assert.Equal(1, await page.Page.Locator("table.provider-keys tbody tr").CountAsync());
        await AssertOnlyTheHintAsync(page, customerKey);
        await AssertOnlyTheHintAsync(page, FirstKey);
        await page.ScreenshotAsync("provider-keys-replaced");
        await page.AssertCleanAsync();

        // A request for the provider's model now goes to it with the customer's key, and the wallet is not charged.
        int customerBefore = await console.UpstreamRequestsAsync(customerKey);
        int operatorBefore = await console.UpstreamRequestsAsync(console.Upstream.ApiKey);
        long availableBefore = await console.Server.AvailableMicrosAsync(key);
        using (HttpClient api = console.Server.Client().WithKey(key))
        using (HttpResponseMessage spoken = await api.PostSpeechAsync(new { model = "relay/tts", input = "Paid with my own key.", voice = "alloy" }))
        {
            Assert.Equal(HttpStatusCode.OK, spoken.StatusCode);
            Assert.Equal("upstream:openai", spoken.Headers.GetValues("x-voxgate-route").Single());
            Assert.NotEmpty(await spoken.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(customerBefore + 1, await console.UpstreamRequestsAsync(customerKey));
        Assert.Equal(operatorBefore, await console.UpstreamRequestsAsync(console.Upstream.ApiKey));
        Assert.Equal(availableBefore, await console.Server.AvailableMicrosAsync(key));

        ILocator row = page.Page.Locator("table.provider-keys tr[data-provider='openai']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Assertions.Expect(page.Page.Locator("#no-provider-keys")).ToBeVisibleAsync();
        Assert.Equal(0, await row.CountAsync());
        await page.ScreenshotAsync("provider-keys-removed");
        await page.AssertCleanAsync();

        // Without the key the operator's key is used again, and the wallet pays.
        using (HttpClient api = console.Server.Client().WithKey(key))
        using (HttpResponseMessage spoken = await api.PostSpeechAsync(new { model = "relay/tts", input = "Paid by the wallet.", voice = "alloy" }))
        {
            Assert.Equal(HttpStatusCode.OK, spoken.StatusCode);
            await spoken.Content.ReadAsByteArrayAsync();
        }
        Assert.Equal(customerBefore + 1, await console.UpstreamRequestsAsync(customerKey));
        Assert.Equal(operatorBefore + 1, await console.UpstreamRequestsAsync(console.Upstream.ApiKey));
        Assert.True(await console.Server.AvailableMicrosAsync(key) < availableBefore, "the wallet paid for the request without a provider key");
    }
}
