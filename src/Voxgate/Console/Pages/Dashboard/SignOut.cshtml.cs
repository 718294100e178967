using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Sessions;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>Ends the session on the server (its row is deleted, so a copied cookie is dead too) and drops the cookie.</summary>
public sealed class SignOutModel(SessionService sessions) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sessions.SignOutAsync(ConsoleSession.Token(HttpContext), cancellationToken);
        ConsoleSession.Clear(HttpContext);
        return Redirect(ConsoleSession.SignInPath);
    }
}
