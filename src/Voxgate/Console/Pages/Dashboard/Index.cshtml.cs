using Voxgate.Gateway.Billing;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>The signed-in account's overview: balance, what is held, the key the session was opened with.</summary>
public sealed class DashboardModel(WalletService wallets) : DashboardPage
{
    public WalletState Wallet { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Wallet = await wallets.WalletAsync(AccountId, cancellationToken);
    }
}
