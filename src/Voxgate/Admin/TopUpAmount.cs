using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;

namespace Voxgate.Admin;

/// <summary>How a top-up's amount is read from text, for the admin API and the console's top-up form alike.</summary>
public static class TopUpAmount
{
    /// <summary>The amount in micro-dollars.</summary>
    /// <exception cref="GatewayInputException">No amount, or not a positive dollar amount with at most six decimals.</exception>
    public static long Parse(string? amount)
    {
        if (amount is null)
        {
            throw new GatewayInputException("amount", "Send the amount in dollars as a string: {\"amount\": \"10.00\"}.");
        }
        if (!Money.TryParseDollars(amount, out long micros))
        {
            throw new GatewayInputException("amount", $"'{amount}' is not a positive dollar amount with at most six decimals.");
        }
        return micros;
    }
}
