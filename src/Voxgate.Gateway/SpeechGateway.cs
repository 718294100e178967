using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Saturation;
using Voxgate.Gateway.Tasks;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway;

/// <summary>
/// What every surface does with a speech request before and after synthesis, in one place: route it (local or
/// upstream, whose key), plan it, check the caller's limits, hold the estimated cost, take an engine slot; then,
/// when it ends, charge what was delivered, release the hold and record the usage.
/// </summary>
public sealed partial class SpeechGateway(
    SpeechPlanner planner,
    UpstreamRouter router,
    KeyRateLimiter rateLimiter,
    IBillingStore billing,
    IUsageStore usage,
    EngineAdmission admission,
    TimeProvider time,
    IOptions<BillingOptions> billingOptions,
    ILogger<SpeechGateway> logger)
{
    /// <exception cref="SpeechRequestException">The request is invalid.</exception>
    /// <exception cref="GatewayException">The caller is over a limit, cannot pay, or the engine is saturated.</exception>
    public async Task<SpeechAdmission> AdmitAsync(Caller caller, SpeechRequest request, string requestId, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        ModelDefinition model = planner.FindModel(request.Model);
        UpstreamRoute? route = router.Route(model, caller);
        SpeechPlan plan = planner.Plan(request, route);
        bool byok = route?.Byok == true;
        bool billed = caller.AccountId is not null && !byok;
        int characters = plan.Text.Characters;

        RateLimitDecision limits = rateLimiter.Acquire(caller, characters);
        if (!limits.Allowed)
        {
            Refuse(caller, plan, requestId, UsageStatus.RateLimited, started, byok);
            throw RateLimited(limits, characters);
        }

        long estimate = billed ? Money.Cost(characters, model.PricePer1KCharactersMicros) : 0;
        if (billed)
        {
            DateTimeOffset now = time.GetUtcNow();
            if (!billing.TryHold(caller.AccountId!.Value, requestId, estimate, now, now + billingOptions.Value.HoldLifetime))
            {
                Refuse(caller, plan, requestId, UsageStatus.InsufficientCredits, started, byok);
                WalletState wallet = billing.GetWallet(caller.AccountId.Value, now);
                throw new GatewayException(GatewayRefusal.InsufficientCredits,
                    $"Insufficient credits: this request costs ${Money.FormatDollars(estimate)} ({characters} characters of {model.Id} at " +
                    $"${Money.FormatDollars(model.PricePer1KCharactersMicros)} per 1K), and ${Money.FormatDollars(Math.Max(0, wallet.AvailableMicros))} is available. Top up the wallet.");
            }
        }

        IDisposable? slot = await admission.TryEnterAsync(plan.Route.Capacity, cancellationToken);
        if (slot is null)
        {
            Settle(caller.AccountId, caller.KeyId, plan, requestId, 0, UsageStatus.Saturated, started, byok);
            LogSaturated(logger, plan.Route.Capacity, requestId);
            throw new GatewayException(GatewayRefusal.Saturated,
                $"The server is at capacity for {plan.Route.Capacity}; retry shortly.", admission.RetryAfter);
        }
        return new SpeechAdmission(this, caller, plan, requestId, byok, limits, slot, started);
    }

    /// <summary>Charges what was delivered (nothing for a failure), releases the hold and records the usage.</summary>
    internal void Complete(SpeechAdmission admitted, SpeechOutcome outcome)
    {
        int charged = outcome.Status switch
        {
            SpeechOutcomeStatus.Succeeded => admitted.Plan.Text.Characters,
            SpeechOutcomeStatus.Cancelled => Math.Clamp(outcome.CharactersDelivered, 0, admitted.Plan.Text.Characters),
            _ => 0,
        };
        string status = outcome.Status switch
        {
            SpeechOutcomeStatus.Succeeded => UsageStatus.Succeeded,
            SpeechOutcomeStatus.Cancelled => UsageStatus.Cancelled,
            _ => UsageStatus.Failed,
        };
        Settle(admitted.Caller.AccountId, admitted.Caller.KeyId, admitted.Plan, admitted.RequestId, charged, status, admitted.Started, admitted.Byok);
    }

    /// <summary>
    /// Admits an asynchronous task: one request against the caller's per-minute limit (characters-per-minute limits
    /// govern interactive requests; a task's length is metered by the wallet) and a hold for its whole cost.
    /// </summary>
    /// <exception cref="GatewayException">Over the request limit, or the wallet cannot cover the task.</exception>
    public void AdmitTask(Caller caller, SpeechPlan plan, string billingId, TimeSpan holdLifetime)
    {
        long started = time.GetTimestamp();
        RateLimitDecision limits = rateLimiter.Acquire(caller, 0);
        if (!limits.Allowed)
        {
            Refuse(caller, plan, billingId, UsageStatus.RateLimited, started, byok: false);
            throw RateLimited(limits, 0);
        }
        long cost = Money.Cost(plan.Text.Characters, plan.Model.PricePer1KCharactersMicros);
        DateTimeOffset now = time.GetUtcNow();
        if (caller.AccountId is long account && !billing.TryHold(account, billingId, cost, now, now + holdLifetime))
        {
            Refuse(caller, plan, billingId, UsageStatus.InsufficientCredits, started, byok: false);
            throw new GatewayException(GatewayRefusal.InsufficientCredits,
                $"Insufficient credits: this task costs ${Money.FormatDollars(cost)} ({plan.Text.Characters} characters of {plan.Model.Id}), " +
                $"and ${Money.FormatDollars(Math.Max(0, billing.GetWallet(account, now).AvailableMicros))} is available. Top up the wallet.");
        }
    }

    /// <summary>
    /// Ends a task: if it succeeded, charges its whole text once; if not, charges nothing. Either way its hold is
    /// released and its usage recorded. <paramref name="plan"/> is null for a task that could no longer be planned.
    /// </summary>
    public void CompleteTask(SpeechTask task, SpeechPlan? plan, bool succeeded, TimeSpan duration)
    {
        long cost = succeeded && plan is not null ? Money.Cost(task.Characters, plan.Model.PricePer1KCharactersMicros) : 0;
        billing.Settle(task.BillingId, task.AccountId, cost, new UsageRecord(task.BillingId, task.AccountId, task.KeyId, plan?.Model.Id,
            task.Characters, cost, false, succeeded ? UsageStatus.Succeeded : UsageStatus.Failed,
            (int)Math.Min(int.MaxValue, duration.TotalMilliseconds), time.GetUtcNow()));
    }

    private void Settle(long? accountId, long? keyId, SpeechPlan plan, string requestId, int chargedCharacters, string status, long started, bool byok)
    {
        long cost = accountId is not null && !byok ? Money.Cost(chargedCharacters, plan.Model.PricePer1KCharactersMicros) : 0;
        billing.Settle(requestId, accountId, cost, Record(accountId, keyId, plan, requestId, status, started, byok, cost));
    }

    private void Refuse(Caller caller, SpeechPlan plan, string requestId, string status, long started, bool byok)
    {
        usage.Record(Record(caller.AccountId, caller.KeyId, plan, requestId, status, started, byok, 0));
        LogRefused(logger, requestId, caller.AccountName ?? caller.Kind.ToString(), status);
    }

    private UsageRecord Record(long? accountId, long? keyId, SpeechPlan plan, string requestId, string status, long started, bool byok, long cost) =>
        new(requestId, accountId, keyId, plan.Model.Id, plan.Text.Characters, cost, byok, status,
            (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds), time.GetUtcNow());

    private static GatewayException RateLimited(RateLimitDecision limits, int characters)
    {
        if (limits.RetryAfter == TimeSpan.MaxValue)
        {
            return new GatewayException(GatewayRefusal.RateLimited,
                $"This request has {characters} characters, more than this key's limit of {limits.Characters.Limit} characters per minute; split the text.",
                null, limits);
        }
        string what = limits.Exceeded == RateLimitDimension.Requests
            ? $"{limits.Requests.Limit} requests per minute"
            : $"{limits.Characters.Limit} characters per minute";
        return new GatewayException(GatewayRefusal.RateLimited,
            $"Rate limit reached: this key allows {what}. Retry after {Math.Ceiling(limits.RetryAfter.TotalSeconds):0} s.", limits.RetryAfter, limits);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Speech {RequestId} refused for {Caller}: {Status}")]
    private static partial void LogRefused(ILogger logger, string requestId, string caller, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity {Capacity} is saturated; refused {RequestId}")]
    private static partial void LogSaturated(ILogger logger, string capacity, string requestId);
}

public enum SpeechOutcomeStatus
{
    Succeeded,

    /// <summary>The client went away mid-stream: what was delivered is charged.</summary>
    Cancelled,

    /// <summary>Synthesis failed: nothing is charged.</summary>
    Failed,
}

/// <summary>How a synthesis ended, as the surface that streamed it saw it.</summary>
/// <param name="CharactersDelivered">For a cancelled request, the billable characters of the audio that left.</param>
public sealed record SpeechOutcome(SpeechOutcomeStatus Status, int CharactersDelivered = 0);

/// <summary>
/// An admitted request: its plan, its limits, its hold and its engine slot. Complete it with the outcome; disposing
/// it without one counts as a failure, so an exception anywhere releases the hold and charges nothing.
/// </summary>
public sealed class SpeechAdmission : IDisposable
{
    private readonly SpeechGateway _gateway;
    private readonly IDisposable _slot;
    private bool _completed;

    internal SpeechAdmission(SpeechGateway gateway, Caller caller, SpeechPlan plan, string requestId, bool byok,
        RateLimitDecision limits, IDisposable slot, long started)
    {
        _gateway = gateway;
        _slot = slot;
        Caller = caller;
        Plan = plan;
        RequestId = requestId;
        Byok = byok;
        Limits = limits;
        Started = started;
    }

    public Caller Caller { get; }

    public SpeechPlan Plan { get; }

    public string RequestId { get; }

    /// <summary>True when the caller's own provider key pays for this request.</summary>
    public bool Byok { get; }

    public RateLimitDecision Limits { get; }

    internal long Started { get; }

    public void Complete(SpeechOutcome outcome)
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        _slot.Dispose();
        _gateway.Complete(this, outcome);
    }

    public void Dispose() => Complete(new SpeechOutcome(SpeechOutcomeStatus.Failed));
}
