using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Sessions;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>
/// Exchanges an API key for a console session (<see cref="SessionService"/>): the key is verified as an API request's
/// is, never stored, never logged, never echoed back into the page.
/// </summary>
public sealed class SignInModel(SessionService sessions) : PageModel
{
    public string? Error { get; private set; }

    public string? ReturnUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = LocalOrNull(returnUrl);
        // Already signed in: go on (a dead session's cookie is removed on the way).
        return await ConsoleSession.ResumeAsync(HttpContext) is Caller caller ? Redirect(ReturnUrl ?? Landing(caller)) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? apiKey, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = LocalOrNull(returnUrl);
        (string? token, Caller? caller, AuthenticationFailure failure) = await sessions.SignInAsync(apiKey ?? "", cancellationToken);
        if (token is null || caller is null)
        {
            Error = ApiKeyAuthenticator.Describe(failure).Replace(" Send it as 'Authorization: Bearer sk-vg-...'.", "", StringComparison.Ordinal);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        ConsoleSession.Write(HttpContext, token);
        return Redirect(ReturnUrl ?? Landing(caller));
    }

    /// <summary>A customer's key lands on the dashboard; a key with only the admin scope on the admin pages.</summary>
    public static string Landing(Caller caller) => caller.Can(KeyScopes.Speech) && caller.AccountId is not null ? "/console" : "/console/admin";

    /// <summary>Only a path on this site (not <c>//elsewhere</c>, not a URL): the sign-in must not send anyone away.</summary>
    private string? LocalOrNull(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : null;
}
