using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.Billing;

/// <summary>Top-ups with their platform fee, and wallet statements: what the admin API and the CLI share.</summary>
public sealed class WalletService(IBillingStore billing, IOptions<BillingOptions> options, TimeProvider time)
{
    /// <summary>Records the amount and the fee as separate ledger lines; the wallet gains the amount minus the fee.</summary>
    public async Task<(LedgerEntry TopUp, LedgerEntry Fee, WalletState Wallet)> TopUpAsync(Account account, long amountMicros, string? note = null,
        CancellationToken cancellationToken = default)
    {
        if (amountMicros <= 0 || amountMicros > Money.MaxTopUpMicros)
        {
            throw new GatewayInputException("amount", $"A top-up is more than $0 and at most ${Money.FormatDollars(Money.MaxTopUpMicros)}.");
        }
        long fee = Money.Fee(amountMicros, options.Value.TopUpFeeBasisPoints);
        DateTimeOffset now = time.GetUtcNow();
        (LedgerEntry topUp, LedgerEntry feeLine) = await billing.TopUpAsync(account.Id, amountMicros, fee, note, now, cancellationToken);
        return (topUp, feeLine, await billing.GetWalletAsync(account.Id, now, cancellationToken));
    }

    public Task<WalletState> WalletAsync(long accountId, CancellationToken cancellationToken = default) =>
        billing.GetWalletAsync(accountId, time.GetUtcNow(), cancellationToken);

    /// <param name="beforeId">The page after the line with this id (keyset paging: lines added meanwhile shift nothing).</param>
    public Task<IReadOnlyList<LedgerEntry>> LedgerAsync(long accountId, int limit = 50, long? beforeId = null, CancellationToken cancellationToken = default) =>
        billing.GetLedgerAsync(accountId, Math.Clamp(limit, 1, 1000), beforeId, cancellationToken);
}
