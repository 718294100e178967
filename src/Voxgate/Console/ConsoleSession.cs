using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Sessions;

namespace Voxgate.WebConsole;

/// <summary>
/// The console's session cookie: a random token from <see cref="SessionService"/> (never the API key), HttpOnly,
/// SameSite=Strict, Secure whenever the request came over HTTPS (also through the trusted proxy, whose
/// X-Forwarded-Proto the forwarded-headers middleware has applied by now). Expiry is the server's: the cookie lives
/// as long as the hard cap, the session row decides.
/// </summary>
public static class ConsoleSession
{
    public const string CookieName = "voxgate_session";
    public const string SignInPath = "/console/sign-in";

    /// <summary>The header the playground's script sends the antiforgery token in.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>Data Protection (the antiforgery tokens' keys) shared through the database, antiforgery cookie settings.</summary>
    public static IServiceCollection AddConsoleSessions(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("voxgate");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            options.XmlRepository = provider.GetRequiredService<SqlKeyRingRepository>();
            options.XmlEncryptor = new MasterKeyXmlEncryptor(provider.GetRequiredService<MasterKey>());
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "voxgate_antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.HeaderName = AntiforgeryHeader;
        });
        return services;
    }

    public static void Write(HttpContext http, string token) =>
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = SessionService.MaxLifetime,
            IsEssential = true,
        });

    public static void Clear(HttpContext http) =>
        http.Response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/" });

    public static string? Token(HttpContext http) => http.Request.Cookies[CookieName];

    /// <summary>The signed-in caller of this request (read once per request), or null; a dead session's cookie is removed.</summary>
    public static async Task<Caller?> ResumeAsync(HttpContext http)
    {
        if (http.Features.Get<SignedIn>() is SignedIn known)
        {
            return known.Caller;
        }
        string? token = Token(http);
        Caller? caller = token is null ? null : await http.RequestServices.GetRequiredService<SessionService>().ResumeAsync(token, http.RequestAborted);
        if (caller is null && token is not null)
        {
            Clear(http);
        }
        http.Features.Set(new SignedIn(caller));
        return caller;
    }

    /// <summary>The caller already resumed for this request (pages behind <see cref="SignInRequiredAttribute"/>), else null.</summary>
    public static Caller? Current(HttpContext http) => http.Features.Get<SignedIn>()?.Caller;

    /// <summary>The sign-in page's address that comes back to this request's page.</summary>
    public static string SignInUrl(HttpRequest request) =>
        $"{SignInPath}?returnUrl={Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString)}";

    private sealed record SignedIn(Caller? Caller);
}

/// <summary>
/// Lets a page in only with a live console session whose key has <see cref="Scope"/> (and, for the speech scope, an
/// account); without a session the browser is sent to the sign-in page, which comes back here.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SignInRequiredAttribute(KeyScopes scope) : Attribute, IAsyncPageFilter
{
    public KeyScopes Scope { get; } = scope;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        HttpContext http = context.HttpContext;
        Caller? caller = await ConsoleSession.ResumeAsync(http);
        if (caller is null)
        {
            context.Result = new RedirectResult(ConsoleSession.SignInUrl(http.Request));
            return;
        }
        if (!caller.Can(Scope) || (Scope == KeyScopes.Speech && caller.AccountId is null))
        {
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status403Forbidden,
                ContentType = "text/plain; charset=utf-8",
                Content = $"The key this session was opened with lacks the '{KeyScopeNames.Format(Scope)}' scope (or an account) this page needs.",
            };
            return;
        }
        await next();
    }
}
