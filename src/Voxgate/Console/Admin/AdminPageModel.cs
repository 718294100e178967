using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;

namespace Voxgate.WebConsole.Admin;

/// <summary>
/// The admin pages' base: a handler runs only for a console session (<see cref="ConsoleSession"/>) opened with an
/// admin-scope key. Anyone not signed in is sent to sign in (and back here after); a signed-in visitor without the
/// scope gets a 403 page in the console's layout (<see cref="SignInRequiredAttribute"/> answers the dashboard's in plain text). Antiforgery is
/// checked before this (Razor Pages validate every POST's token), so a forged form is refused even for an admin.
/// </summary>
public abstract class AdminPageModel : PageModel
{
    /// <summary>The signed-in administrator.</summary>
    public Caller Admin { get; private set; } = null!;

    /// <summary>What the last action did, or why it was refused (shown above the page's content).</summary>
    public string? Notice { get; protected set; }

    public string? Problem { get; protected set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ConsoleHeaders.Apply(Response);
        Caller? caller = await ConsoleSession.ResumeAsync(HttpContext);
        if (caller is null)
        {
            context.Result = Redirect(ConsoleSession.SignInUrl(Request));
            return;
        }
        if (!caller.Can(KeyScopes.Admin))
        {
            context.Result = new ViewResult { ViewName = "/Console/Pages/Shared/AdminForbidden.cshtml", StatusCode = StatusCodes.Status403Forbidden };
            return;
        }
        Admin = caller;
        await next();
    }

    /// <summary>Runs an action; a refusal the services explain (bad input, nothing by that name, a duplicate) becomes <see cref="Problem"/>.</summary>
    protected async Task<bool> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception ex) when (ex is GatewayInputException or NotFoundException or ConflictException)
        {
            Problem = ex.Message;
            Response.StatusCode = ex switch
            {
                NotFoundException => StatusCodes.Status404NotFound,
                ConflictException => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            return false;
        }
    }
}
