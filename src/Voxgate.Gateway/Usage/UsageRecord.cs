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
    public const string ConcurrencyLimited = "concurrency_limited";
    public const string LimitsUnavailable = "limits_unavailable";
    public const string Unauthorized = "unauthorized";

    /// <summary>The statuses of requests that were let in (a usage row each); every other status is a refusal, counted.</summary>
    public static bool IsAdmitted(string status) => status is Succeeded or Cancelled or Failed;
}

/// <summary>
/// One request's usage: who, which model, how much, at what cost, how it ended, how long it took (from admission to
/// its end), how soon its first audio byte left and how much audio it had (null: none, or not known), and the route that
/// served it (a provider's configured name, or <c>local</c>; after a fall-through, the route that served).
/// </summary>
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
    DateTimeOffset CreatedAt,
    int? FirstByteMs = null,
    int? AudioMs = null,
    string? Route = null);

/// <summary>Refusals of one kind, counted for one minute, account, key and model (0 and "" for none).</summary>
public readonly record struct RefusalKey(long Minute, long AccountId, long KeyId, string Model, string Status);

/// <summary>
/// Usage summed per day and model. <see cref="Requests"/>, <see cref="Characters"/> and <see cref="ByokRequests"/> count
/// the requests that delivered audio (succeeded, or cancelled after some was sent); <see cref="Failed"/> the admitted
/// requests that failed (never charged); <see cref="Refused"/> the requests refused before synthesis (401, 402, 429,
/// 503; counted per minute, not recorded one by one). <see cref="CostMicros"/> is what was charged.
/// </summary>
public sealed record UsageByDay(DateOnly Day, string Model, int Requests, long Characters, long CostMicros, int ByokRequests, int Failed = 0, long Refused = 0);

/// <summary>Usage summed per model, ranked by characters; counted as in <see cref="UsageByDay"/>.</summary>
public sealed record ModelRanking(string Model, int Requests, long Characters, long CostMicros, int Accounts, int Failed = 0, long Refused = 0);

/// <summary>
/// A model's live figures over a period, from its usage rows (requests admitted; refusals are not in them).
/// <see cref="Requests"/> counts every admitted request, however it ended; <see cref="Characters"/> and
/// <see cref="AudioMs"/> those of succeeded requests. <see cref="MedianFirstByteMs"/> is the median time from
/// admission to the first audio byte of succeeded requests that measured one (not tasks); <see cref="CharactersPerSecond"/>
/// the characters of succeeded requests over their total time (admission to end); <see cref="SuccessRate"/> succeeded
/// over succeeded and failed (a client that went away is neither). Null where there is nothing to compute it from.
/// </summary>
public sealed record ModelFigures(string Model, int Requests, int Succeeded, int Failed, int Cancelled, long Characters, long AudioMs,
    double? MedianFirstByteMs, double? CharactersPerSecond)
{
    public double? SuccessRate => Succeeded + Failed == 0 ? null : (double)Succeeded / (Succeeded + Failed);
}

/// <summary>Refusals of one kind (a <see cref="UsageStatus"/>) over a period.</summary>
public sealed record RefusalTotal(string Status, long Count);

/// <summary>Usage records, refusal counts, and their sums. Usage rows are written by settlement (<see cref="Billing.IBillingStore"/>).</summary>
public interface IUsageStore
{
    /// <summary>Adds counted refusals to their rows (creating them), in one transaction; counts from several nodes add up.</summary>
    Task AddRefusalsAsync(IReadOnlyCollection<KeyValuePair<RefusalKey, long>> counts, CancellationToken cancellationToken = default);

    /// <param name="accountId">Null for every account (admin).</param>
    Task<IReadOnlyList<UsageByDay>> ByDayAsync(long? accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <param name="accountId">Null for every account (admin).</param>
    Task<IReadOnlyList<RefusalTotal>> RefusalsAsync(long? accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelRanking>> RankModelsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Every model's live figures over a period, most requested first.</summary>
    Task<IReadOnlyList<ModelFigures>> ModelFiguresAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<UsageRecord>> RecentAsync(long accountId, int limit, CancellationToken cancellationToken = default);
}
