namespace Voxgate.Gateway.Usage;

/// <summary>Usage over the last days: what was served, per day and model, and what was refused, per reason.</summary>
public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageByDay> Days, IReadOnlyList<RefusalTotal> Refusals)
{
    public int Requests => Days.Sum(d => d.Requests);

    public long Characters => Days.Sum(d => d.Characters);

    public long CostMicros => Days.Sum(d => d.CostMicros);

    public int Failed => Days.Sum(d => d.Failed);

    public long Refused => Refusals.Sum(r => r.Count);
}

/// <summary>
/// The one place usage is read for people: the customer API, the admin API and the CLI all report through here, so
/// they count the same way. Refusals counted in this process are written first, so a report is current.
/// </summary>
public sealed class UsageReports(IUsageStore usage, RefusalCounter refusals, TimeProvider time)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    /// <param name="accountId">Null for every account.</param>
    public UsageReport ByDay(long? accountId, int? days)
    {
        (DateTimeOffset from, DateTimeOffset to) = Period(days);
        return new UsageReport(from, to, usage.ByDay(accountId, from, to), usage.Refusals(accountId, from, to));
    }

    /// <summary>Models ranked by characters served, with their failures and refusals.</summary>
    public IReadOnlyList<ModelRanking> RankModels(int? days)
    {
        (DateTimeOffset from, DateTimeOffset to) = Period(days);
        return usage.RankModels(from, to);
    }

    private (DateTimeOffset From, DateTimeOffset To) Period(int? days)
    {
        refusals.Flush();
        DateTimeOffset now = time.GetUtcNow();
        return (now.AddDays(-Math.Clamp(days ?? DefaultDays, 1, MaxDays)), now.AddDays(1));
    }
}
