using System.Globalization;
using Voxgate.Gateway.Billing;

namespace Voxgate.WebConsole.Admin;

/// <summary>How the admin pages write money, limits and times.</summary>
public static class AdminFormat
{
    /// <summary>"$12.50", "-$0.50": <see cref="Money.FormatDollars"/> with the sign before the dollar sign.</summary>
    public static string Dollars(long micros) => micros < 0 ? "-$" + Money.FormatDollars(-micros) : "$" + Money.FormatDollars(micros);

    public static string Limit(int? limit) => limit is int value ? value.ToString("N0", CultureInfo.InvariantCulture) : "default";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"3.2 s", "4 min 5 s", "2 h 3 min".</summary>
    public static string Age(TimeSpan age) =>
        age < TimeSpan.FromMinutes(1) ? $"{age.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
        : age < TimeSpan.FromHours(1) ? $"{(int)age.TotalMinutes} min {age.Seconds} s"
        : $"{(int)age.TotalHours} h {age.Minutes} min";

    public static string Bytes(long bytes) =>
        bytes < 1024 * 1024 ? $"{(bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} KiB"
        : $"{(bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MiB";
}
