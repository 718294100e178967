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
    public async Task<UsageReport> ByDayAsync(long? accountId, int? days, CancellationToken cancellationToken = default)
    {
        (DateTimeOffset from, DateTimeOffset to) = await PeriodAsync(days, cancellationToken);
        return new UsageReport(from, to, await usage.ByDayAsync(accountId, from, to, cancellationToken), await usage.RefusalsAsync(accountId, from, to, cancellationToken));
    }

    /// <summary>Models ranked by characters served, with their failures and refusals.</summary>
    public async Task<IReadOnlyList<ModelRanking>> RankModelsAsync(int? days, CancellationToken cancellationToken = default)
    {
        (DateTimeOffset from, DateTimeOffset to) = await PeriodAsync(days, cancellationToken);
        return await usage.RankModelsAsync(from, to, cancellationToken);
    }

    /// <summary>
    /// Every model's live figures over the last <paramref name="window"/> (the console shows the last 24 hours): median
    /// time to first byte, characters per second, success rate, requests. Computed from the usage rows, which carry the
    /// same measurements as <c>/metrics</c> (<see cref="Metrics.SpeechMeasurement"/>).
    /// </summary>
    public async Task<IReadOnlyList<ModelFigures>> ModelFiguresAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        DateTimeOffset now = time.GetUtcNow();
        return await usage.ModelFiguresAsync(now - window, now.AddTicks(1), cancellationToken);
    }

    private async Task<(DateTimeOffset From, DateTimeOffset To)> PeriodAsync(int? days, CancellationToken cancellationToken)
    {
        await refusals.FlushAsync(cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        return (now.AddDays(-Math.Clamp(days ?? DefaultDays, 1, MaxDays)), now.AddDays(1));
    }
}
