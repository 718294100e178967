namespace Voxgate.Gateway.Usage;

/// <summary>How a request ended, as recorded in usage.</summary>
public static class UsageStatus
{
    public const string Succeeded = "succeeded";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string RateLimited = "rate_limited";
    public const string InsufficientCredits = "insufficient_credits";
    public const string Saturated = "saturated";
}

/// <summary>One request's usage: who, which model, how much, at what cost, how it ended, how long it took.</summary>
public sealed record UsageRecord(
    string RequestId,
    long? AccountId,
    long? KeyId,
    string? Model,
    int Characters,
    long CostMicros,
    bool Byok,
    string Status,
    int LatencyMs,
    DateTimeOffset CreatedAt);

/// <summary>Usage summed per day and model.</summary>
public sealed record UsageByDay(DateOnly Day, string Model, int Requests, long Characters, long CostMicros, int ByokRequests);

/// <summary>Usage summed per model, ranked by characters.</summary>
public sealed record ModelRanking(string Model, int Requests, long Characters, long CostMicros, int Accounts);

/// <summary>Usage records and their sums.</summary>
public interface IUsageStore
{
    void Record(UsageRecord record);

    /// <param name="accountId">Null for every account (admin).</param>
    IReadOnlyList<UsageByDay> ByDay(long? accountId, DateTimeOffset from, DateTimeOffset to);

    IReadOnlyList<ModelRanking> RankModels(DateTimeOffset from, DateTimeOffset to);

    IReadOnlyList<UsageRecord> Recent(long accountId, int limit);
}
