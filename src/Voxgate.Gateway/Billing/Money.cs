using System.Globalization;

namespace Voxgate.Gateway.Billing;

/// <summary>Money is integer micro-dollars everywhere; dollars appear only as text at the edges.</summary>
public static class Money
{
    public const long MicrosPerDollar = 1_000_000;

    /// <summary>The largest single top-up accepted: one million dollars.</summary>
    public const long MaxTopUpMicros = 1_000_000 * MicrosPerDollar;

    /// <summary>Parses a positive dollar amount with at most six decimals ("10", "10.00", "0.000001").</summary>
    public static bool TryParseDollars(string text, out long micros)
    {
        micros = 0;
        string trimmed = text.Trim().TrimStart('$');
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal dollars)
            || dollars <= 0 || dollars * MicrosPerDollar != decimal.Truncate(dollars * MicrosPerDollar) || dollars * MicrosPerDollar > MaxTopUpMicros)
        {
            return false;
        }
        micros = (long)(dollars * MicrosPerDollar);
        return true;
    }

    /// <summary>"12.50" for 12,500,000 micros: at least two decimals, at most six, no rounding.</summary>
    public static string FormatDollars(long micros) =>
        (micros / (decimal)MicrosPerDollar).ToString("0.00####", CultureInfo.InvariantCulture);

    /// <summary>The price of <paramref name="characters"/> at a price per 1,000 characters, rounded up to the micro-dollar.</summary>
    public static long Cost(long characters, long pricePer1KMicros) => checked(characters * pricePer1KMicros + 999) / 1000;

    /// <summary>A fee in basis points (500 = 5%), rounded half up to the micro-dollar.</summary>
    public static long Fee(long amountMicros, int basisPoints) => checked(amountMicros * basisPoints + 5_000) / 10_000;
}
