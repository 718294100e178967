using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Accounts;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>
/// A page of the signed-in customer's dashboard: only with a live session whose key has the speech scope and an
/// account, and every look-up scoped to that account (another account's id reads as a missing one).
/// </summary>
[SignInRequired(KeyScopes.Speech)]
public abstract class DashboardPage : PageModel
{
    public Caller Caller => ConsoleSession.Current(HttpContext)!;

    public long AccountId => Caller.AccountId!.Value;

    /// <summary>What the last action refused, shown above its form.</summary>
    public string? Error { get; protected set; }

    /// <summary>Runs a form's action; a refusal (bad input, not found, conflict) is shown on the page instead.</summary>
    protected async Task<IActionResult> ActAsync(Func<Task<IActionResult>> action, Func<Task> reload)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is GatewayInputException or NotFoundException or ConflictException)
        {
            Error = ex.Message;
            Response.StatusCode = ex is NotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            await reload();
            return Page();
        }
    }
}
