using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebConsole;

/// <summary>
/// The console's test bench, shared by every class in the <see cref="ConsoleCollection"/>: one real
/// <c>voxgate serve</c> process on port 0 (<see cref="Server"/>) and one headless Debian chromium driven by
/// Playwright. Each test opens its own <see cref="ConsolePage"/> (a fresh browser context: no cookies shared).
/// A derived fixture may bring its own server (configured differently) in its own collection.
/// </summary>
public class ConsoleFixture : IAsyncLifetime
{
    public ConsoleFixture()
        : this(new ServerProcess())
    {
    }

    protected ConsoleFixture(ServerProcess server) => Server = server;

    /// <summary>Debian's chromium (<c>scripts/ensure-deps.sh --test</c>); <c>VOXGATE_CHROMIUM</c> names another.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("VOXGATE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Where screenshots go: <c>artifacts/console-screenshots</c>, beside the test results ./test.sh keeps.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(ServerProcess.RepositoryRoot(), "artifacts", "console-screenshots");

    private IPlaywright? _playwright;

    public ServerProcess Server { get; }

    public IBrowser Browser { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run scripts/ensure-deps.sh --test");
        await Server.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Containers often run as root and give /dev/shm little room; both are chromium's documented switches.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A new page in its own context, recording what the browser complains about.</summary>
    public async Task<ConsolePage> OpenAsync()
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        try
        {
            return await ConsolePage.OpenAsync(context);
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "Console in a browser";
}

/// <summary>
/// One browser page and what went wrong on it: console errors, uncaught exceptions, and Content-Security-Policy
/// violations (the page's <c>securitypolicyviolation</c> events, recorded by a script Playwright adds to every
/// document, which the page's own policy does not govern).
/// </summary>
public sealed partial class ConsolePage : IAsyncDisposable
{
    private const string RecordViolations = """
        window.__violations = [];
        document.addEventListener("securitypolicyviolation", e =>
          window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber));
        """;

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private ConsolePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    internal static async Task<ConsolePage> OpenAsync(IBrowserContext context)
    {
        await context.AddInitScriptAsync(RecordViolations);
        IPage page = await context.NewPageAsync();
        var opened = new ConsolePage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                opened.Record($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => opened.Record($"uncaught: {error}");
        page.RequestFailed += (_, request) => opened.Record($"request failed: {request.Url} {request.Failure}");
        return opened;
    }

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>Goes to <paramref name="path"/> and returns the response (its status and headers).</summary>
    public async Task<IResponse> GoAsync(string path)
    {
        IResponse? response = await Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return response ?? throw new InvalidOperationException($"no response for {path}");
    }

    /// <summary>Signs in through the console's form with <paramref name="key"/>, landing on the dashboard.</summary>
    public async Task SignInAsync(string key)
    {
        await GoAsync("/console");
        Assert.Contains("/console/sign-in", Page.Url, StringComparison.Ordinal);
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(DashboardUrl(), new() { Timeout = 30_000 });
        await Page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>
    /// Waits until the page's address matches <paramref name="glob"/> (Playwright's globs: <c>**</c> anything,
    /// <c>*</c> anything but a slash, every other character itself) and the page has loaded. Polled rather than
    /// <c>WaitForURLAsync</c>, whose wait for the navigation event missed one that had already happened on some runs
    /// (timed out at 30 s with the page already there).
    /// </summary>
    public async Task WaitForUrlAsync(string glob)
    {
        string pattern = Regex.Escape(glob).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal);
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("^" + pattern + "$"), new() { Timeout = 30_000 });
        await Page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Everything the browser reported on this page so far: console errors and warnings, uncaught errors, failed requests, CSP violations.</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync()
    {
        string[] violations = await Page.EvaluateAsync<string[]>("() => window.__violations ?? []");
        lock (_problems)
        {
            return [.. _problems, .. violations.Select(v => "CSP violation: " + v)];
        }
    }

    /// <summary>Drops reported problems that a test has shown are not problems (saying why at the call).</summary>
    public void Forgive(Func<string, bool> problem)
    {
        lock (_problems)
        {
            _problems.RemoveAll(p => problem(p));
        }
    }

    /// <summary>Asserts the page reported nothing wrong.</summary>
    public async Task AssertCleanAsync()
    {
        IReadOnlyList<string> problems = await ProblemsAsync();
        Assert.True(problems.Count == 0, $"{Page.Url}:\n{string.Join('\n', problems)}");
    }

    /// <summary>Saves a full-page screenshot as <c>artifacts/console-screenshots/{name}.png</c>.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Assert.Matches(FileName(), name);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    [GeneratedRegex("/console$")]
    private static partial Regex DashboardUrl();

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex FileName();
}
