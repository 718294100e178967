using Voxgate.Gateway.Billing;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>The account's ledger, a page of <see cref="PageSize"/> lines at a time, by id (keyset paging).</summary>
public sealed class LedgerModel(WalletService wallets) : DashboardPage
{
    public const int PageSize = 25;

    public IReadOnlyList<LedgerEntry> Lines { get; private set; } = [];

    public long? Before { get; private set; }

    /// <summary>The id the next (older) page starts below, when there is one.</summary>
    public long? Older { get; private set; }

    public async Task OnGetAsync(long? before, CancellationToken cancellationToken)
    {
        Before = before;
        IReadOnlyList<LedgerEntry> lines = await wallets.LedgerAsync(AccountId, PageSize + 1, before, cancellationToken);
        Lines = [.. lines.Take(PageSize)];
        Older = lines.Count > PageSize ? Lines[^1].Id : null;
    }
}
