using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Voxgate.Admin;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.WebConsole.Admin;

namespace Voxgate.WebConsole.Pages.Admin;

/// <summary>
/// One account: its wallet and ledger, a top-up form, its keys (create, shown once; revoke). Every change goes through
/// the services the admin API uses (<see cref="WalletService.TopUpAsync"/>, <see cref="AccountService.CreateKeyAsync"/>,
/// <see cref="AccountService.RevokeKeyAsync"/>), so a top-up here writes the same two ledger lines as <c>POST /admin/accounts/{name}/topups</c>.
/// </summary>
public sealed class AccountModel(AccountService accounts, WalletService wallets, IOptions<BillingOptions> billing) : AdminPageModel
{
    public const int LedgerLines = 50;

    public static string PathOf(string name) => "/console/admin/accounts/" + Uri.EscapeDataString(name);

    public Account? Account { get; private set; }

    public WalletState? Wallet { get; private set; }

    public IReadOnlyList<LedgerEntry> Ledger { get; private set; } = [];

    public IReadOnlyList<ApiKeyRecord> Keys { get; private set; } = [];

    /// <summary>A key just created: in this response only, never stored or shown again.</summary>
    public string? CreatedKey { get; private set; }

    /// <summary>The ledger lines of the top-up just made, marked in the ledger.</summary>
    public long? ToppedUp { get; private set; }

    /// <summary>The platform fee on a top-up, as <see cref="WalletService.TopUpAsync"/> charges it ("5%").</summary>
    public string FeePercent => (billing.Value.TopUpFeeBasisPoints / 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public async Task<IActionResult> OnGetAsync(string name, long? topup, string? revoked, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(name, cancellationToken))
        {
            return Page();
        }
        if (topup is long id && Ledger.FirstOrDefault(l => l.Id == id && l.Kind == "topup") is { } line)
        {
            ToppedUp = id;
            LedgerEntry? fee = Ledger.FirstOrDefault(l => l.Kind == "fee" && l.Note == "platform fee on top-up " + id);
            Notice = $"Topped up {AdminFormat.Dollars(line.AmountMicros)}; platform fee {AdminFormat.Dollars(-(fee?.AmountMicros ?? 0))}.";
        }
        if (revoked is not null)
        {
            Notice = $"Key {revoked} is revoked; it stopped working at once.";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostTopUpAsync(string name, string? amount, string? note, CancellationToken cancellationToken)
    {
        LedgerEntry? topUp = null;
        if (await TryAsync(async () =>
            {
                long micros = TopUpAmount.Parse(amount);
                (topUp, _, _) = await wallets.TopUpAsync(await accounts.GetAccountAsync(name, cancellationToken), micros,
                    string.IsNullOrWhiteSpace(note) ? null : note.Trim(), cancellationToken);
            }))
        {
            return Redirect($"{PathOf(name)}?topup={topUp!.Id}");
        }
        await LoadAsync(name, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(string name, string? keyName, string[]? scopes, int? requestsPerMinute, int? charactersPerMinute,
        CancellationToken cancellationToken)
    {
        string? created = null;
        if (await TryAsync(async () =>
            {
                (ApiKeyRecord record, string key) = await accounts.CreateKeyAsync(name, string.IsNullOrWhiteSpace(keyName) ? null : keyName.Trim(),
                    KeyScopeNames.Parse(scopes ?? []), requestsPerMinute, charactersPerMinute, cancellationToken);
                created = key;
                Notice = $"Key {record.Prefix} created. Copy it now: it is shown this once and never stored.";
            }))
        {
            CreatedKey = created;
            // The key is in this page alone: no cache may keep it.
            Response.Headers.CacheControl = "no-store";
        }
        await LoadAsync(name, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string name, string? prefix, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => accounts.RevokeKeyAsync(prefix ?? "", name, cancellationToken)))
        {
            return Redirect($"{PathOf(name)}?revoked={Uri.EscapeDataString(prefix!)}");
        }
        await LoadAsync(name, cancellationToken);
        return Page();
    }

    /// <returns>False when there is no such account (the page says so, with 404).</returns>
    private async Task<bool> LoadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            Account = await accounts.GetAccountAsync(name, cancellationToken);
        }
        catch (NotFoundException)
        {
            Response.StatusCode = StatusCodes.Status404NotFound; // the page says there is no such account
            return false;
        }
        Wallet = await wallets.WalletAsync(Account!.Id, cancellationToken);
        Ledger = await wallets.LedgerAsync(Account.Id, LedgerLines, cancellationToken: cancellationToken);
        Keys = await accounts.ListKeysAsync(name, cancellationToken);
        return true;
    }
}
