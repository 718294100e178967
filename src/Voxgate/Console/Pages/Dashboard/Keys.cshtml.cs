using Microsoft.AspNetCore.Mvc;
using Voxgate.Gateway.Accounts;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>
/// The account's keys: create one (shown once, in this response only, never stored), revoke one. New keys get the
/// speech scope: a customer's session never mints an admin key.
/// </summary>
public sealed class KeysModel(AccountService accounts) : DashboardPage
{
    public IReadOnlyList<ApiKeyRecord> Keys { get; private set; } = [];

    public string? CreatedKey { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        string? keyName = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (keyName is { Length: > 64 })
        {
            throw new GatewayInputException("name", "A key's name is at most 64 characters.");
        }
        (_, CreatedKey) = await accounts.CreateKeyAsync(Caller.AccountName!, keyName, KeyScopes.Speech, cancellationToken: cancellationToken);
        // The key is in this response only: never cached, never kept.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(cancellationToken);
        return Page();
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostRevokeAsync(string? prefix, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await accounts.RevokeKeyAsync(prefix ?? "", Caller.AccountName, cancellationToken);
        return RedirectToPage();
    }, () => LoadAsync(cancellationToken));

    private async Task LoadAsync(CancellationToken cancellationToken) => Keys = await accounts.ListKeysAsync(Caller.AccountName!, cancellationToken);
}
