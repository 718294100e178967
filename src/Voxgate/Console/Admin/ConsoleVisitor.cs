using Voxgate.Gateway.Accounts;

namespace Voxgate.WebConsole.Admin;

/// <summary>Who is visiting the console: the caller of the signed-in session, or null.</summary>
public static class ConsoleVisitor
{
    // Until the console's sign-in lands: the Authorization header's key.
    public static async ValueTask<Caller?> SignedInAsync(HttpContext http)
    {
        ApiKeyAuthenticator authenticator = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        (Caller? caller, _) = await authenticator.AuthenticateForAsync(http.Request.Headers.Authorization.ToString(), KeyScopes.Admin, http.RequestAborted);
        return caller;
    }

    public static string SignInPath(HttpRequest request) =>
        "/console/sign-in?returnUrl=" + Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString);
}
