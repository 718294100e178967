using Microsoft.AspNetCore.Mvc;
using Voxgate.Gateway.Accounts;
using Voxgate.WebConsole.Admin;

namespace Voxgate.WebConsole.Pages.Admin;

/// <summary>Every account with its balance, and a form to create one (<see cref="AccountService"/>, as <c>POST /admin/accounts</c>).</summary>
public sealed class AccountsModel(AccountService accounts) : AdminPageModel
{
    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Accounts = await accounts.ListAccountsAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? name, int? requestsPerMinute, int? charactersPerMinute, int? concurrentRequests,
        CancellationToken cancellationToken)
    {
        if (await TryAsync(() => accounts.CreateAccountAsync(name?.Trim() ?? "", requestsPerMinute, charactersPerMinute, concurrentRequests, cancellationToken)))
        {
            return Redirect(AccountModel.PathOf(name!.Trim()));
        }
        Accounts = await accounts.ListAccountsAsync(cancellationToken);
        return Page();
    }
}
