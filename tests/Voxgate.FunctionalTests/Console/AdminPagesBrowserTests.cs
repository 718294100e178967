using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebConsole;

/// <summary>
/// The admin pages in a real browser against the shared console server: accounts, top-ups with their fee, keys,
/// model pulls with live progress, engines, queue and health; a session without the admin scope is refused.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminPagesBrowserTests(ConsoleFixture console)
{
    private static readonly string[] AdminPages = ["/console/admin", "/console/admin/accounts", "/console/admin/accounts/e2e", "/console/admin/models",
        "/console/admin/engines", "/console/admin/health"];

    [Fact]
    public async Task AnAdminCreatesAnAccountTopsItUpAndCreatesAndRevokesItsKey()
    {
        string account = "console-" + Guid.NewGuid().ToString("N")[..8];
        await using ConsolePage page = await console.OpenAsync();
        await SignInAsync(page, ServerProcess.AdminKey);

        await page.GoAsync("/console/admin/accounts");
        await page.Page.GetByLabel("Name").FillAsync(account);
        await page.Page.GetByLabel("Requests per minute").FillAsync("600");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForUrlAsync($"**/console/admin/accounts/{account}");
        Assert.Equal("$0.00", await page.Page.Locator("#balance").InnerTextAsync());

        // A top-up of $10.00: the ledger shows it and the 5% fee as two lines, as the admin API records them.
        await page.Page.GetByLabel("Amount in dollars").FillAsync("10.00");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Add credit" }).ClickAsync();
        await page.WaitForUrlAsync("**?topup=*");
        Assert.Contains("Topped up $10.00; platform fee $0.50.", await page.Page.GetByRole(AriaRole.Status).InnerTextAsync());
        Assert.Equal("$9.50", await page.Page.Locator("#balance").InnerTextAsync());
        ILocator fresh = page.Page.Locator("table.ledger tr.fresh");
        Assert.Equal(["topup", "fee"], (await fresh.Locator("td:nth-child(2)").AllInnerTextsAsync()).OrderByDescending(k => k).ToList());
        Assert.Equal("$10.00", await page.Page.Locator("table.ledger tr.fresh[data-kind=topup] td.num").InnerTextAsync());
        Assert.Equal("-$0.50", await page.Page.Locator("table.ledger tr.fresh[data-kind=fee] td.num").InnerTextAsync());
        using HttpClient admin = console.Server.AdminClient();
        JsonElement ledger = await (await admin.GetAsync($"admin/accounts/{account}/ledger")).JsonAsync();
        Assert.Equal([("fee", -500_000L), ("topup", 10_000_000L)],
            ledger.GetProperty("data").EnumerateArray().Select(l => (l.GetProperty("kind").GetString()!, l.GetProperty("amount_micros").GetInt64())).Order().ToList());
        await page.ScreenshotAsync("admin-account");
        await page.AssertCleanAsync();

        // A key, shown once; it works at once.
        await page.Page.Locator("form.admin-form", new() { HasText = "Create key" }).GetByLabel("Name").FillAsync("browser");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        string key = (await page.Page.Locator("#new-key").InnerTextAsync()).Trim();
        using HttpClient customer = console.Server.Client().WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync("v1/models")).StatusCode);
        ILocator keyRow = page.Page.Locator("table.keys tr", new() { HasText = "browser" });
        string prefix = (await keyRow.GetAttributeAsync("data-prefix"))!;
        Assert.StartsWith(prefix, key);
        await page.ScreenshotAsync("admin-key-created");
        await page.AssertCleanAsync();
        await page.GoAsync($"/console/admin/accounts/{account}");
        Assert.Equal(0, await page.Page.Locator("#new-key").CountAsync());
        Assert.DoesNotContain(key, await page.Page.ContentAsync());

        // Revoked: the key stops working at once, and the page says so.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {prefix}" }).ClickAsync();
        await page.WaitForUrlAsync("**?revoked=*");
        Assert.Contains("revoked", await keyRow.Locator("td").Last.InnerTextAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.GetAsync("v1/models")).StatusCode);
        await page.AssertCleanAsync();

        await page.GoAsync("/console/admin/accounts");
        Assert.Equal("$9.50", await page.Page.Locator("table.accounts tr", new() { HasText = account }).Locator("td.num").First.InnerTextAsync());
        await page.ScreenshotAsync("admin-accounts");
        await page.AssertCleanAsync();

        // A bad amount is refused (400) with the API's own explanation, and nothing is added.
        await page.GoAsync($"/console/admin/accounts/{account}");
        await page.Page.GetByLabel("Amount in dollars").FillAsync("ten");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Add credit" }).ClickAsync();
        Assert.Contains("'ten' is not a positive dollar amount", await page.Page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.Equal("$9.50", await page.Page.Locator("#balance").InnerTextAsync());
        await AssertOnlyRefusedAsync(page, 400);
    }

    [Fact]
    public async Task AnAdminSeesTheEnginesTheQueueAndWhatReadinessReports()
    {
        await using ConsolePage page = await console.OpenAsync();
        await SignInAsync(page, ServerProcess.AdminKey);
        using HttpClient http = console.Server.Client();
        JsonElement ready = await (await http.GetAsync("readyz")).JsonAsync();
        // One request, so that an engine's turns have been counted.
        using HttpClient api = console.Server.Client().WithKey(console.Server.ApiKey);
        using HttpResponseMessage speech = await api.PostAsync("v1/audio/speech", HttpJson.Body(new { model = "voxgate/espeak-ng", input = "Engines.", voice = "alloy" }));
        Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        await speech.Content.ReadAsByteArrayAsync();
        string[] engines = ReadyEngines(ready);
        Assert.NotEmpty(engines);

        await page.GoAsync("/console/admin/engines");
        foreach (string engine in engines)
        {
            Assert.Equal(1, await page.Page.Locator($"table.engines tr[data-engine='{engine}']").CountAsync());
        }
        Assert.Matches("^[0-9,]+$", await page.Page.Locator("#tasks-queued").InnerTextAsync());
        Assert.Matches("^[0-9,]+$", await page.Page.Locator("#tasks-running").InnerTextAsync());
        // A used engine's slots read "n of limit".
        Assert.Contains(await page.Page.Locator("table.engines td.slots").AllInnerTextsAsync(), s => s.Contains(" of ", StringComparison.Ordinal));
        await page.ScreenshotAsync("admin-engines");
        await page.AssertCleanAsync();

        await page.GoAsync("/console/admin/health");
        Assert.Equal(ready.GetProperty("status").GetString(), await page.Page.Locator("#readiness").InnerTextAsync());
        Assert.Equal(engines, await page.Page.Locator("table.health-engines tbody tr td:first-child").AllInnerTextsAsync());
        Assert.Equal(ready.GetProperty("node").GetString(), await page.Page.Locator("dl.health div", new() { HasText = "Node" }).Locator("dd").InnerTextAsync());
        await page.ScreenshotAsync("admin-health");
        await page.AssertCleanAsync();

        await page.GoAsync("/console/admin");
        await page.ScreenshotAsync("admin-overview");
        await page.AssertCleanAsync();
    }

    /// <summary>The engines a <c>/readyz</c> answer lists, by name, in its order.</summary>
    private static string[] ReadyEngines(JsonElement ready) => [.. ready.GetProperty("engines").EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];

    [Fact]
    public async Task AModelPullShowsItsProgressLiveAndTheModelLoads()
    {
        const string id = "admin-pull-piper";
        string work = Directory.CreateTempSubdirectory("voxgate-admin-pull-").FullName;
        string knownList = Path.Combine(console.Server.DataDirectory, "models.json");
        using var archives = new ArchiveServer();
        try
        {
            byte[] archive = await NeuralModels.TarBz2Async(NeuralModels.WritePiper(Path.Combine(work, id)));
            Uri url = archives.Add($"models/{id}.tar.bz2", archive);
            await File.WriteAllTextAsync(knownList, JsonSerializer.Serialize(new[]
            {
                new
                {
                    id, engine = id, description = "The tiny Piper-shaped test model.", license = "Apache-2.0",
                    url = url.ToString(), bytes = archive.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(archive)), size = "1 MB",
                },
            }));
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int held = archive.Length / 3;
            archives.HoldOnce($"models/{id}.tar.bz2", held, release.Task);

            await using ConsolePage page = await console.OpenAsync();
            await SignInAsync(page, ServerProcess.AdminKey);
            await page.GoAsync("/console/admin/models");
            await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Pull {id}" }).ClickAsync();
            await page.WaitForUrlAsync("**/console/admin/models?pulling=*");

            // The download stands at a third: the page's poll shows it, out of the archive's size.
            ILocator bar = page.Page.Locator($"tr[data-pull='{id}'] progress");
            await Assertions.Expect(bar).ToHaveJSPropertyAsync("value", held, new() { Timeout = 30_000 });
            Assert.Equal(archive.Length, await bar.EvaluateAsync<int>("b => b.max"));
            Assert.Equal("downloading", await page.Page.Locator($"tr[data-pull='{id}'] td.phase").InnerTextAsync());
            Assert.True(await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Pull {id}" }).IsDisabledAsync());
            await page.ScreenshotAsync("admin-model-pull");

            // The rest arrives: the page, without being told, ends up listing the model as installed and loaded.
            release.SetResult();
            await Assertions.Expect(page.Page.Locator($"table.installed tr[data-model='{id}'] td.state")).ToHaveTextAsync("loaded", new() { Timeout = 120_000 });
            Assert.Equal("done", await page.Page.Locator($"tr[data-pull='{id}'] td.phase").InnerTextAsync());
            Assert.Equal(0, await page.Page.GetByRole(AriaRole.Button, new() { Name = $"Pull {id}" }).CountAsync());
            await page.ScreenshotAsync("admin-models");
            await page.AssertCleanAsync();
        }
        finally
        {
            File.Delete(knownList);
            // The shared server unloads it again (its folder watcher), leaving the other console tests its own engines.
            string installed = Path.Combine(console.Server.DataDirectory, "models", id);
            if (Directory.Exists(installed))
            {
                Directory.Delete(installed, recursive: true);
            }
            Directory.Delete(work, recursive: true);
            // The watcher unloads in its own time: wait for it, so that the next test reads the engines it started with.
            using HttpClient http = console.Server.Client();
            await Eventually.HoldsAsync(
                async () => !ReadyEngines(await (await http.GetAsync("readyz")).JsonAsync()).Contains(id),
                $"{id} unloaded from the shared server");
        }
    }

    [Fact]
    public async Task ASessionWithoutTheAdminScopeGets403AndNoSessionIsSentToSignIn()
    {
        await using ConsolePage customer = await console.OpenAsync();
        await SignInAsync(customer, console.Server.ApiKey, "/console");
        foreach (string path in AdminPages)
        {
            IResponse response = await customer.GoAsync(path);
            Assert.Equal(403, response.Status);
            Assert.Equal("Admin scope needed", await customer.Page.Locator("h1").InnerTextAsync());
            ModelPagesBrowserTests.AssertConsoleHeaders(await response.AllHeadersAsync());
        }
        await customer.ScreenshotAsync("admin-forbidden");
        await AssertOnlyRefusedAsync(customer, 403);
        // The pulls' JSON is an admin page's handler: refused alike.
        IResponse progress = await customer.GoAsync("/console/admin/models/progress");
        Assert.Equal(403, progress.Status);

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.Server.BaseAddress };
        foreach (string path in AdminPages)
        {
            using HttpResponseMessage anonymous = await noRedirects.GetAsync(path.TrimStart('/'));
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal($"/console/sign-in?returnUrl={Uri.EscapeDataString(path)}", anonymous.Headers.Location?.OriginalString);
        }

        // In a browser: sent to sign in, and back to the page once signed in with an admin key.
        await using ConsolePage visitor = await console.OpenAsync();
        await visitor.GoAsync("/console/admin/engines");
        await visitor.WaitForUrlAsync("**/console/sign-in?returnUrl=*");
        await SubmitSignInAsync(visitor, ServerProcess.AdminKey);
        await visitor.WaitForUrlAsync("**/console/admin/engines");
        Assert.Equal("Engines and queue", await visitor.Page.Locator("h1").InnerTextAsync());
        await visitor.AssertCleanAsync();
    }

    [Fact]
    public async Task AnAdminFormPostedWithoutItsAntiforgeryTokenIsRefused()
    {
        string account = "forged-" + Guid.NewGuid().ToString("N")[..8];
        await using ConsolePage page = await console.OpenAsync();
        await SignInAsync(page, ServerProcess.AdminKey);
        await page.GoAsync("/console/admin/accounts"); // the antiforgery cookie is set; the forged form lacks the token

        IAPIResponse forged = await page.Page.APIRequest.PostAsync("/console/admin/accounts", new() { Form = page.Page.APIRequest.CreateFormData().Set("name", account) });
        Assert.Equal(400, forged.Status);
        IAPIResponse topUp = await page.Page.APIRequest.PostAsync("/console/admin/accounts/e2e?handler=TopUp",
            new() { Form = page.Page.APIRequest.CreateFormData().Set("amount", "1000") });
        Assert.Equal(400, topUp.Status);

        using HttpClient admin = console.Server.AdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"admin/accounts/{account}")).StatusCode);
        JsonElement ledger = await (await admin.GetAsync("admin/accounts/e2e/ledger")).JsonAsync();
        Assert.DoesNotContain(ledger.GetProperty("data").EnumerateArray(), l => l.GetProperty("amount_micros").GetInt64() == 1000L * 1_000_000);

        // The same form with its token goes through.
        await page.Page.GetByLabel("Name").FillAsync(account);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForUrlAsync($"**/console/admin/accounts/{account}");
        await page.AssertCleanAsync();
    }

    /// <summary>The browser reported nothing but the document's own refusal (chromium logs every 4xx document as a console error): no CSP violation, no script error.</summary>
    private static async Task AssertOnlyRefusedAsync(ConsolePage page, int status)
    {
        IReadOnlyList<string> problems = await page.ProblemsAsync();
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal($"console error: Failed to load resource: the server responded with a status of {status} ({ReasonPhrases.GetReasonPhrase(status)})", p));
    }

    /// <summary>Signs in through the console's sign-in page with <paramref name="key"/> and comes back to <paramref name="returnTo"/>.</summary>
    private static async Task SignInAsync(ConsolePage page, string key, string returnTo = "/console/admin")
    {
        await page.GoAsync($"/console/sign-in?returnUrl={Uri.EscapeDataString(returnTo)}");
        await SubmitSignInAsync(page, key);
        await page.WaitForUrlAsync($"**{returnTo}");
    }

    private static async Task SubmitSignInAsync(ConsolePage page, string key)
    {
        await page.Page.GetByLabel("API key").FillAsync(key);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
