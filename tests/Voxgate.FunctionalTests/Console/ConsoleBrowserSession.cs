using System.Net;
using System.Text.RegularExpressions;

namespace Voxgate.Tests.WebConsole;

/// <summary>
/// A browser reduced to HTTP: its own cookie jar, no redirects followed, and the antiforgery token each form carries,
/// so the security tests can send exactly what a browser (or a forger) would.
/// </summary>
public sealed partial class ConsoleBrowserSession : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleBrowserSession(Uri baseAddress)
    {
        Handler = new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true };
        _http = new HttpClient(Handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClientHandler Handler { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The session cookie's value, or null.</summary>
    public string? SessionToken => Cookies.GetCookies(BaseAddress)["voxgate_session"]?.Value;

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    /// <summary>The antiforgery token in the first form of the page at <paramref name="path"/> (which also sets its cookie).</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        using HttpResponseMessage page = await _http.GetAsync(path);
        string html = await page.Content.ReadAsStringAsync();
        Match token = FormToken().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {path} ({(int)page.StatusCode})");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    /// <summary>Posts a form; with <paramref name="token"/> null, none is sent (a forged post).</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, string? token, params (string Name, string Value)[] fields)
    {
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            values.Add(new("__RequestVerificationToken", token));
        }
        return _http.PostAsync(path, new FormUrlEncodedContent(values));
    }

    /// <summary>Signs in through the form with <paramref name="apiKey"/>; returns the sign-in's answer.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string apiKey) =>
        await PostFormAsync("/console/sign-in", await FormTokenAsync("/console/sign-in"), ("apiKey", apiKey));

    public void Dispose()
    {
        _http.Dispose();
        Handler.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
