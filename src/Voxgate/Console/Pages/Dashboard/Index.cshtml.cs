using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>The signed-in account's overview: balance, what is held, the key the session was opened with.</summary>
[SignInRequired(KeyScopes.Speech)]
public sealed class DashboardModel(WalletService wallets) : PageModel
{
    public Caller Caller { get; private set; } = null!;

    public WalletState Wallet { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Caller = ConsoleSession.Current(HttpContext)!;
        Wallet = await wallets.WalletAsync(Caller.AccountId!.Value, cancellationToken);
    }
}
