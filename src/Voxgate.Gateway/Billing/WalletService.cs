using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.Billing;

/// <summary>Top-ups with their platform fee, and wallet statements: what the admin API and the CLI share.</summary>
public sealed class WalletService(IBillingStore billing, IOptions<BillingOptions> options, TimeProvider time)
{
    /// <summary>Records the amount and the fee as separate ledger lines; the wallet gains the amount minus the fee.</summary>
    public (LedgerEntry TopUp, LedgerEntry Fee, WalletState Wallet) TopUp(Account account, long amountMicros, string? note = null)
    {
        if (amountMicros <= 0 || amountMicros > Money.MaxTopUpMicros)
        {
            throw new GatewayInputException("amount", $"A top-up is more than $0 and at most ${Money.FormatDollars(Money.MaxTopUpMicros)}.");
        }
        long fee = Money.Fee(amountMicros, options.Value.TopUpFeeBasisPoints);
        DateTimeOffset now = time.GetUtcNow();
        (LedgerEntry topUp, LedgerEntry feeLine) = billing.TopUp(account.Id, amountMicros, fee, note, now);
        return (topUp, feeLine, billing.GetWallet(account.Id, now));
    }

    public WalletState Wallet(long accountId) => billing.GetWallet(accountId, time.GetUtcNow());

    public IReadOnlyList<LedgerEntry> Ledger(long accountId, int limit = 50) => billing.GetLedger(accountId, Math.Clamp(limit, 1, 1000));
}
