using System.Net;
using System.Net.Http.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebConsole;

/// <summary>
/// The console's sessions over plain HTTP against the real server: no session without a valid key, a revoked key's
/// session ends at its next request, forms without the antiforgery token are refused, sign-out ends the session on
/// the server, and the cookie is HttpOnly and SameSite=Strict.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSessionSecurityTests(ConsoleFixture console)
{
    private ConsoleBrowserSession NewBrowser() => new(console.Server.BaseAddress);

    [Theory]
    [InlineData("sk-vg-000000000000000000000000000000000000000000x")]
    [InlineData("not a key")]
    [InlineData("")]
    public async Task NoSessionWithoutAValidKey(string key)
    {
        using ConsoleBrowserSession browser = NewBrowser();
        using HttpResponseMessage signIn = await browser.SignInAsync(key);
        Assert.True(signIn.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, signIn.StatusCode.ToString());
        Assert.Null(browser.SessionToken);
        using HttpResponseMessage dashboard = await browser.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/console/sign-in?returnUrl=%2Fconsole", dashboard.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ASessionCookieIsHttpOnlyStrictAndNeverTheKey()
    {
        string key = await console.Server.CreateFundedKeyAsync("session-cookie", "1.00");
        using ConsoleBrowserSession browser = NewBrowser();
        using HttpResponseMessage signIn = await browser.SignInAsync(key);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/console", signIn.Headers.Location!.OriginalString);
        string setCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("voxgate_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase); // plain HTTP here
        Assert.DoesNotContain(key, setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(key[6..], console.Server.Output, StringComparison.Ordinal); // never logged
        using HttpResponseMessage dashboard = await browser.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task ARevokedKeysSessionEndsAtTheNextRequest()
    {
        string key = await console.Server.CreateFundedKeyAsync("session-revoked", "1.00");
        using ConsoleBrowserSession browser = NewBrowser();
        (await browser.SignInAsync(key)).Dispose();
        using (HttpResponseMessage before = await browser.GetAsync("/console"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using HttpClient admin = console.Server.AdminClient();
        (await admin.PostAsync($"admin/keys/{key[..12]}/revoke", null)).EnsureSuccessStatusCode();

        using HttpResponseMessage after = await browser.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/console/sign-in", after.Headers.Location!.OriginalString);
        Assert.Null(browser.SessionToken); // the dead cookie is removed
        using HttpResponseMessage again = await browser.SignInAsync(key);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("revoked", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryTokenIsRefused()
    {
        string key = await console.Server.CreateFundedKeyAsync("session-forged", "1.00");
        using ConsoleBrowserSession forger = NewBrowser();
        using HttpResponseMessage forgedSignIn = await forger.PostFormAsync("/console/sign-in", null, ("apiKey", key));
        Assert.Equal(HttpStatusCode.BadRequest, forgedSignIn.StatusCode);
        Assert.Null(forger.SessionToken);

        using ConsoleBrowserSession browser = NewBrowser();
        (await browser.SignInAsync(key)).Dispose();
        using HttpResponseMessage forgedSignOut = await browser.PostFormAsync("/console/sign-out", null);
        Assert.Equal(HttpStatusCode.BadRequest, forgedSignOut.StatusCode);
        using HttpResponseMessage wrongToken = await browser.PostFormAsync("/console/sign-out", "CfDJ8-forged");
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.StatusCode);
        using HttpResponseMessage stillIn = await browser.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Fact]
    public async Task SignOutEndsTheSessionOnTheServer()
    {
        string key = await console.Server.CreateFundedKeyAsync("session-out", "1.00");
        using ConsoleBrowserSession browser = NewBrowser();
        (await browser.SignInAsync(key)).Dispose();
        string token = browser.SessionToken!;
        using HttpResponseMessage signOut = await browser.PostFormAsync("/console/sign-out", await browser.FormTokenAsync("/console/sign-out"));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // A copy of the cookie taken before sign-out is dead too: the session row is gone.
        using ConsoleBrowserSession thief = NewBrowser();
        thief.Cookies.Add(console.Server.BaseAddress, new Cookie("voxgate_session", token));
        using HttpResponseMessage stolen = await thief.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, stolen.StatusCode);
    }

    [Fact]
    public async Task TheSignInGoesBackOnlyToAPageOfThisSite()
    {
        string key = await console.Server.CreateFundedKeyAsync("session-return", "1.00");
        using ConsoleBrowserSession browser = NewBrowser();
        string token = await browser.FormTokenAsync("/console/sign-in");
        using HttpResponseMessage away = await browser.PostFormAsync("/console/sign-in", token, ("apiKey", key), ("returnUrl", "//evil.example/"));
        Assert.Equal("/console", away.Headers.Location!.OriginalString);
    }
}
