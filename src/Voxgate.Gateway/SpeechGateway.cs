using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Metrics;
using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Saturation;
using Voxgate.Gateway.Tasks;
using Voxgate.Gateway.Usage;
using Voxgate.Gateway.Voices;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway;

/// <summary>
/// What every surface does with a speech request before and after synthesis, in one place: route it (local or
/// upstream, whose key), plan it, check the caller's limits (per minute, and requests in flight per account), hold
/// the estimated cost, wait for a first engine turn; then, when it ends, charge what was delivered, release the hold
/// and record the usage. Every resource it takes is given back on every path: refusal, failure, cancellation.
/// </summary>
public sealed partial class SpeechGateway(
    SpeechPlanner planner,
    UpstreamRouter router,
    IRateLimiter rateLimiter,
    IConcurrencyLimiter concurrency,
    IBillingStore billing,
    RefusalCounter refusals,
    EngineAdmission admission,
    VoiceService voices,
    GatewayMetrics metrics,
    TimeProvider time,
    IOptions<BillingOptions> billingOptions,
    ILogger<SpeechGateway> logger)
{
    /// <param name="requestId">The server's id for the request (never a caller's): the key of its hold, charge and usage.</param>
    /// <exception cref="SpeechRequestException">The request is invalid.</exception>
    /// <exception cref="GatewayException">The caller is over a limit, cannot pay, or the engine is saturated.</exception>
    public async Task<SpeechAdmission> AdmitAsync(Caller caller, SpeechRequest request, string requestId, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        ModelDefinition model = planner.FindModel(request.Model);
        IReadOnlyList<UpstreamRoute?> routes = await RoutesAsync(model, caller, request, cancellationToken);
        return await AdmitPlanAsync(caller, await PlanRoutesAsync(caller, request, routes, planner.Plan, cancellationToken), requestId, started, cancellationToken);
    }

    /// <summary>
    /// The model's routes for this caller; for a voice made at a provider (which exists nowhere else) only the
    /// model's routes to that provider, so that speech with it never falls through to another voice.
    /// </summary>
    /// <exception cref="SpeechRequestException">The voice is held at a provider the model does not route to.</exception>
    private async Task<IReadOnlyList<UpstreamRoute?>> RoutesAsync(ModelDefinition model, Caller caller, SpeechRequest request, CancellationToken cancellationToken)
    {
        if (await voices.HeldAtAsync(caller.AccountId, request, cancellationToken) is not { } provider)
        {
            return await router.RoutesAsync(model, caller, cancellationToken);
        }
        IReadOnlyList<UpstreamRoute> held = await router.HeldVoiceRoutesAsync(model, caller, provider, request.Voice, cancellationToken);
        return held.Count > 0 ? held : throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "voice",
            $"The voice '{request.Voice}' lives at the provider '{provider}', and the model '{model.Id}' is not served by it here; use the voice with a model served by that provider.");
    }

    /// <summary>
    /// Plans the request for its first route, whose refusal is the caller's answer, and for each further route that
    /// can take the request as it was asked; one that cannot (a voice or control it lacks) is left out of this
    /// request's fallbacks (<see cref="SpeechPlan.Fallback"/>).
    /// </summary>
    /// <param name="plan">How a route's plan is made: <see cref="SpeechPlanner.Plan"/>, or for a stream <see cref="SpeechPlanner.PlanStream"/>.</param>
    private async Task<SpeechPlan> PlanRoutesAsync(Caller caller, SpeechRequest request, IReadOnlyList<UpstreamRoute?> routes,
        Func<SpeechRequest, UpstreamRoute?, SpeechPlan> plan, CancellationToken cancellationToken)
    {
        SpeechPlan first = await PlanRouteAsync(caller, request, routes[0], plan, cancellationToken);
        var fallbacks = new List<SpeechPlan>();
        foreach (UpstreamRoute? route in routes.Skip(1))
        {
            try
            {
                fallbacks.Add(await PlanRouteAsync(caller, request, route, plan, cancellationToken));
            }
            catch (SpeechRequestException)
            {
                // not a route for this request
            }
        }
        SpeechPlan? next = null;
        for (int i = fallbacks.Count - 1; i >= 0; i--)
        {
            next = fallbacks[i] with { Fallback = next };
        }
        return first with { Fallback = next };
    }

    private async Task<SpeechPlan> PlanRouteAsync(Caller caller, SpeechRequest request, UpstreamRoute? route, Func<SpeechRequest, UpstreamRoute?, SpeechPlan> plan,
        CancellationToken cancellationToken)
    {
        request = await voices.ResolveAsync(caller.AccountId, request, route, cancellationToken); // a custom voice id becomes what it speaks with
        return plan(request, route);
    }

    /// <summary>
    /// Limits, place, hold and first engine turn for a planned request. One hold covers every route it may fall
    /// through to (the dearest one the wallet pays for: a route on the caller's own key costs the wallet nothing),
    /// so a fallback is never held or charged twice; the settlement charges the route that served.
    /// </summary>
    private async Task<SpeechAdmission> AdmitPlanAsync(Caller caller, SpeechPlan plan, string requestId, long started, CancellationToken cancellationToken)
    {
        ModelDefinition model = plan.Model;
        bool byok = IsByok(plan);
        bool billed = caller.AccountId is not null && plan.Routes.Any(p => !IsByok(p));
        int characters = plan.Text.Characters;

        RateLimitDecision limits = await LimitedAsync(caller, plan.Model.Id, requestId, () => rateLimiter.AcquireAsync(caller, characters, cancellationToken));
        if (!limits.Allowed)
        {
            throw Refuse(caller, plan, requestId, UsageStatus.RateLimited, RateLimited(limits, characters));
        }
        IDisposable place = await LimitedAsync(caller, plan.Model.Id, requestId, () => concurrency.TryEnterAsync(caller, requestId, cancellationToken)) ?? throw Refuse(caller, plan, requestId, UsageStatus.ConcurrencyLimited,
            new GatewayException(GatewayRefusal.ConcurrencyLimited,
                $"This account already has {caller.ConcurrentRequests} speech requests in flight, its limit; retry when one ends.",
                admission.RetryAfter, limits));

        long estimate = billed ? plan.Routes.Where(p => !IsByok(p)).Max(p => Money.Cost(p.Text.Characters, model.PricePer1KCharactersMicros)) : 0;
        bool held = false;
        IDisposable? turn = null;
        try
        {
            if (billed)
            {
                DateTimeOffset now = time.GetUtcNow();
                if (!await billing.TryHoldAsync(caller.AccountId!.Value, requestId, estimate, now, now + billingOptions.Value.HoldLifetime, cancellationToken))
                {
                    WalletState wallet = await billing.GetWalletAsync(caller.AccountId.Value, now, cancellationToken);
                    throw Refuse(caller, plan, requestId, UsageStatus.InsufficientCredits, new GatewayException(GatewayRefusal.InsufficientCredits,
                        $"Insufficient credits: this request costs ${Money.FormatDollars(estimate)} ({characters} characters of {model.Id} at " +
                        $"${Money.FormatDollars(model.PricePer1KCharactersMicros)} per 1K), and ${Money.FormatDollars(Math.Max(0, wallet.AvailableMicros))} is available. Top up the wallet."));
                }
                held = true;
            }
            turn = await admission.TryEnterAsync(plan.Route.Capacity, cancellationToken);
            if (turn is null)
            {
                LogSaturated(logger, plan.Route.Capacity, requestId);
                metrics.Saturated(plan.Route.Capacity);
                throw Refuse(caller, plan, requestId, UsageStatus.Saturated, new GatewayException(GatewayRefusal.Saturated,
                    $"The server is at capacity for {plan.Route.Capacity}; retry shortly.", admission.RetryAfter));
            }
            return new SpeechAdmission(this, caller, plan, requestId, byok, limits, place, turn, held, started);
        }
        catch (Exception ex)
        {
            turn?.Dispose();
            place.Dispose();
            if (held)
            {
                // Refused after the hold (no engine place): only the hold goes. Given up while waiting for an engine
                // (the caller went away), or failed: the hold goes and the request is recorded, charged nothing.
                if (ex is GatewayException)
                {
                    await ReleaseHoldAsync(requestId);
                }
                else
                {
                    string status = ex is OperationCanceledException ? UsageStatus.Cancelled : UsageStatus.Failed;
                    await SettleAsync(caller.AccountId, caller.KeyId, plan, requestId, 0, status, started, byok);
                }
            }
            throw;
        }
    }

    /// <summary>A further engine turn for a request under way (ahead of new requests), on its route's capacity.</summary>
    internal ValueTask<IDisposable> NextTurnAsync(SpeechPlan plan, CancellationToken cancellationToken) =>
        admission.EnterAsync(plan.Route.Capacity, cancellationToken);

    /// <summary>True when the caller's own provider key pays for the route.</summary>
    internal static bool IsByok(SpeechPlan plan) => plan.Route is UpstreamSynthesis { Upstream.Byok: true };

    /// <summary>A request fell through from one route to the next: the failed provider's error, and the fall, counted.</summary>
    internal void FellThrough(SpeechAdmission admitted, SpeechPlan failed, SpeechPlan next, Exception failure)
    {
        metrics.FellThrough(failed.Route, next.Route);
        LogFellThrough(logger, admitted.RequestId, failed.Route.Capacity, next.Route.Capacity, failure.Message);
    }

    /// <summary>Keeps a streaming request's hold alive: it lasts as long as the request, however slowly it is read.</summary>
    internal async Task RenewHoldAsync(string requestId)
    {
        try
        {
            await billing.ExtendHoldAsync(requestId, time.GetUtcNow() + billingOptions.Value.HoldLifetime);
        }
        catch (Exception ex)
        {
            LogHoldRenewalFailed(logger, ex, requestId);
        }
    }

    internal TimeSpan HoldRenewalInterval => billingOptions.Value.HoldLifetime / 3;

    internal TimeProvider Time => time;

    /// <summary>Charges what was delivered (nothing for a failure), releases the hold and records the usage.</summary>
    internal Task CompleteAsync(SpeechAdmission admitted, SpeechOutcome outcome)
    {
        int characters = admitted.Characters;
        int charged = outcome.Status switch
        {
            SpeechOutcomeStatus.Succeeded => characters,
            SpeechOutcomeStatus.Cancelled => Math.Clamp(outcome.CharactersDelivered, 0, characters),
            _ => 0,
        };
        string status = outcome.Status switch
        {
            SpeechOutcomeStatus.Succeeded => UsageStatus.Succeeded,
            SpeechOutcomeStatus.Cancelled => UsageStatus.Cancelled,
            _ => UsageStatus.Failed,
        };
        // The route that served (a fallback, perhaps) is the one recorded and charged.
        return SettleAsync(admitted.Caller.AccountId, admitted.Caller.KeyId, admitted.Served, admitted.RequestId, charged, status, admitted.Started, IsByok(admitted.Served),
            characters, admitted);
    }

    /// <summary>
    /// Admits an asynchronous task: one request against the caller's per-minute limit (characters-per-minute limits
    /// govern interactive requests; a task's length is metered by the wallet) and a hold for its whole cost.
    /// </summary>
    /// <exception cref="GatewayException">Over the request limit, or the wallet cannot cover the task.</exception>
    public async Task AdmitTaskAsync(Caller caller, SpeechPlan plan, string billingId, TimeSpan holdLifetime, CancellationToken cancellationToken = default)
    {
        await LimitRequestsAsync(caller, plan.Model.Id, billingId, cancellationToken);
        long cost = Money.Cost(plan.Text.Characters, plan.Model.PricePer1KCharactersMicros);
        DateTimeOffset now = time.GetUtcNow();
        if (caller.AccountId is long account && !await billing.TryHoldAsync(account, billingId, cost, now, now + holdLifetime, cancellationToken))
        {
            throw Refuse(caller, plan, billingId, UsageStatus.InsufficientCredits, new GatewayException(GatewayRefusal.InsufficientCredits,
                $"Insufficient credits: this task costs ${Money.FormatDollars(cost)} ({plan.Text.Characters} characters of {plan.Model.Id}), " +
                $"and ${Money.FormatDollars(Math.Max(0, (await billing.GetWalletAsync(account, now, cancellationToken)).AvailableMicros))} is available. Top up the wallet."));
        }
    }

    /// <summary>
    /// Admits a request that synthesises nothing (an upload): it counts against the key's requests per minute like any
    /// other, so a client cannot flood the server with them.
    /// </summary>
    /// <param name="what">What is being requested, for the refusal counts (in place of a model).</param>
    /// <exception cref="GatewayException">Over the request limit.</exception>
    public Task AdmitRequestAsync(Caller caller, string what, string requestId, CancellationToken cancellationToken) =>
        LimitRequestsAsync(caller, what, requestId, cancellationToken);

    private async Task LimitRequestsAsync(Caller caller, string what, string requestId, CancellationToken cancellationToken)
    {
        RateLimitDecision limits = await LimitedAsync(caller, what, requestId, () => rateLimiter.AcquireAsync(caller, 0, cancellationToken));
        if (!limits.Allowed)
        {
            throw Refuse(caller, what, requestId, UsageStatus.RateLimited, RateLimited(limits, 0));
        }
    }

    /// <summary>Releases the hold of a task that could not be queued after it was admitted.</summary>
    public Task AbandonTaskAsync(string billingId) => ReleaseHoldAsync(billingId);

    /// <summary>Keeps a task's hold alive while it runs (its worker renews it with its lease).</summary>
    public async Task RenewTaskHoldAsync(SpeechTask task, TimeSpan holdLifetime)
    {
        try
        {
            await billing.ExtendHoldAsync(task.BillingId, time.GetUtcNow() + holdLifetime);
        }
        catch (Exception ex)
        {
            LogHoldRenewalFailed(logger, ex, task.BillingId);
        }
    }

    /// <summary>
    /// Ends a task: if it succeeded, charges its whole text once; if not, charges nothing. Either way its hold is
    /// released and its usage recorded. <paramref name="plan"/> is null for a task that could no longer be planned.
    /// </summary>
    /// <param name="audio">The length of the task's audio, when it has some.</param>
    public Task CompleteTaskAsync(SpeechTask task, SpeechPlan? plan, bool succeeded, TimeSpan duration, TimeSpan? audio = null)
    {
        long cost = succeeded && plan is not null ? Money.Cost(task.Characters, plan.Model.PricePer1KCharactersMicros) : 0;
        return SettleSafelyAsync(task.BillingId, task.AccountId, cost, new UsageRecord(task.BillingId, task.AccountId, task.KeyId, plan?.Model.Id,
            task.Characters, cost, false, succeeded ? UsageStatus.Succeeded : UsageStatus.Failed,
            (int)Math.Min(int.MaxValue, duration.TotalMilliseconds), time.GetUtcNow(), null, SpeechMeasurement.Milliseconds(audio > TimeSpan.Zero ? audio : null)));
    }

    /// <summary>
    /// Where a request's measurement is taken, whichever way it ended (<paramref name="admitted"/> carries what was
    /// marked while it ran; null for one that never ran): recorded on the meter, and on its usage row with the settlement.
    /// </summary>
    private Task SettleAsync(long? accountId, long? keyId, SpeechPlan plan, string requestId, int chargedCharacters, string status, long started, bool byok,
        int? characters = null, SpeechAdmission? admitted = null)
    {
        var measured = new SpeechMeasurement(plan.Model.Id, plan.Route, status, characters ?? plan.Text.Characters, time.GetElapsedTime(started),
            admitted?.FirstByte, admitted?.Audio, admitted?.EngineTime ?? TimeSpan.Zero);
        metrics.Measured(measured);
        long cost = accountId is not null && !byok ? Money.Cost(chargedCharacters, plan.Model.PricePer1KCharactersMicros) : 0;
        return SettleSafelyAsync(requestId, accountId, cost, new UsageRecord(requestId, accountId, keyId, plan.Model.Id, measured.Characters, cost, byok, status,
            SpeechMeasurement.Milliseconds(measured.Total)!.Value, time.GetUtcNow(), SpeechMeasurement.Milliseconds(measured.FirstByte),
            SpeechMeasurement.Milliseconds(measured.Audio), RouteName(plan.Route)));
    }

    /// <summary>A route as usage records it and metrics label it: the provider's configured name, or <c>local</c>.</summary>
    internal static string RouteName(SynthesisRoute route) => route is UpstreamSynthesis upstream ? upstream.Upstream.Provider : ModelDefinition.LocalRoute;

    /// <summary>
    /// Settles without ever throwing into the request that ended: a store failure (the database away) is retried in
    /// the background, backing off to every 30 s, for as long as the request's hold lasts (settlement is idempotent,
    /// so a retry never charges twice), and each outcome that is not a clean charge is logged: a shortfall as a
    /// warning, a charge that could not be written at all as an error with everything needed to redo it.
    /// </summary>
    private async Task SettleSafelyAsync(string requestId, long? accountId, long cost, UsageRecord usage)
    {
        if (await TrySettleAsync(requestId, accountId, cost, usage, attempt: 1))
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            long retrying = time.GetTimestamp();
            TimeSpan delay = TimeSpan.FromSeconds(1);
            for (int attempt = 2; time.GetElapsedTime(retrying) < billingOptions.Value.HoldLifetime; attempt++)
            {
                await Task.Delay(delay, time);
                if (await TrySettleAsync(requestId, accountId, cost, usage, attempt))
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            LogSettlementLost(logger, requestId, accountId, cost);
        });
    }

    private async Task<bool> TrySettleAsync(string requestId, long? accountId, long cost, UsageRecord usage, int attempt)
    {
        try
        {
            // Not the request's token: a request that ended, however it ended, is settled.
            Settlement settlement = await billing.SettleAsync(requestId, accountId, cost, usage, CancellationToken.None);
            if (settlement.UncollectedMicros > 0)
            {
                LogShortfall(logger, requestId, accountId, cost, settlement.UncollectedMicros);
            }
            return true;
        }
        catch (Exception ex)
        {
            LogSettlementFailed(logger, ex, requestId, attempt);
            return false;
        }
    }

    private async Task ReleaseHoldAsync(string requestId)
    {
        try
        {
            await billing.ReleaseHoldAsync(requestId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The hold expires by itself; until then it only sets money aside.
            LogHoldReleaseFailed(logger, ex, requestId);
        }
    }

    /// <summary>Counts a refusal (no row of its own) and returns the exception the surface reports.</summary>
    /// <summary>Consults a limit; when the limits cannot be consulted (and the deployment fails closed) the refusal is counted.</summary>
    private async ValueTask<T> LimitedAsync<T>(Caller caller, string what, string requestId, Func<ValueTask<T>> consult)
    {
        try
        {
            return await consult();
        }
        catch (GatewayException ex) when (ex.Refusal == GatewayRefusal.LimitsUnavailable)
        {
            throw Refuse(caller, what, requestId, UsageStatus.LimitsUnavailable, ex);
        }
    }

    private GatewayException Refuse(Caller caller, SpeechPlan plan, string requestId, string status, GatewayException refusal) =>
        Refuse(caller, plan.Model.Id, requestId, status, refusal);

    private GatewayException Refuse(Caller caller, string what, string requestId, string status, GatewayException refusal)
    {
        refusals.Count(caller, what, status);
        LogRefused(logger, requestId, caller.AccountName ?? caller.Kind.ToString(), status);
        return refusal;
    }

    private static GatewayException RateLimited(RateLimitDecision limits, int characters)
    {
        if (limits.RetryAfter == TimeSpan.MaxValue)
        {
            return new GatewayException(GatewayRefusal.RequestExceedsLimit,
                $"This request has {characters} characters: the request itself exceeds the per-minute limit of {limits.Characters.Limit} characters " +
                "of this key, so it can never succeed and must not be retried. Split the text into shorter requests, or ask for a higher limit.",
                null, limits);
        }
        string what = limits.Exceeded == RateLimitDimension.Requests
            ? $"{limits.Requests.Limit} requests per minute"
            : $"{limits.Characters.Limit} characters per minute";
        return new GatewayException(GatewayRefusal.RateLimited,
            $"Rate limit reached: this key allows {what}. Retry after {Math.Ceiling(limits.RetryAfter.TotalSeconds):0} s.", limits.RetryAfter, limits);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speech {RequestId} fell through from {Failed} to {Next}: {Failure}")]
    private static partial void LogFellThrough(ILogger logger, string requestId, string failed, string next, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Speech {RequestId} refused for {Caller}: {Status}")]
    private static partial void LogRefused(ILogger logger, string requestId, string caller, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capacity {Capacity} is saturated; refused {RequestId}")]
    private static partial void LogSaturated(ILogger logger, string capacity, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settlement of {RequestId} for account {AccountId}: the balance covered only part of {CostMicros} micro-dollars; {UncollectedMicros} recorded as uncollected")]
    private static partial void LogShortfall(ILogger logger, string requestId, long? accountId, long costMicros, long uncollectedMicros);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settlement of {RequestId} failed (attempt {Attempt}); it will be retried")]
    private static partial void LogSettlementFailed(ILogger logger, Exception exception, string requestId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Settlement of {RequestId} for account {AccountId} ({CostMicros} micro-dollars) could not be written after every retry; its hold expires by itself. Settle it by hand")]
    private static partial void LogSettlementLost(ILogger logger, string requestId, long? accountId, long costMicros);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hold of {RequestId} could not be renewed")]
    private static partial void LogHoldRenewalFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hold of {RequestId} could not be released; it expires by itself")]
    private static partial void LogHoldReleaseFailed(ILogger logger, Exception exception, string requestId);
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
/// An admitted request: its plan, its limits, its place among its account's requests, its hold (renewed while it
/// runs) and its engine turns. Complete it with the outcome; disposing it (<c>await using</c>) without one counts as a
/// failure, so an exception anywhere releases everything and charges nothing.
/// </summary>
public sealed class SpeechAdmission : IEngineTurns, IAsyncDisposable
{
    private readonly SpeechGateway _gateway;
    private readonly IDisposable _place;
    private readonly ITimer? _holdRenewal;
    private IDisposable? _firstTurn;
    private int _completed;
    private long _firstAudioAt;
    private long _audioTicks;
    private long _engineTicks;
    private SpeechPlan? _served;

    internal SpeechAdmission(SpeechGateway gateway, Caller caller, SpeechPlan plan, string requestId, bool byok,
        RateLimitDecision limits, IDisposable place, IDisposable firstTurn, bool held, long started)
    {
        _gateway = gateway;
        _place = place;
        _firstTurn = firstTurn;
        Caller = caller;
        Plan = plan;
        RequestId = requestId;
        Byok = byok;
        Limits = limits;
        Started = started;
        if (held)
        {
            _holdRenewal = gateway.Time.CreateTimer(_ => _ = gateway.RenewHoldAsync(requestId), null, gateway.HoldRenewalInterval, gateway.HoldRenewalInterval);
        }
    }

    public Caller Caller { get; }

    public SpeechPlan Plan { get; }

    /// <summary>
    /// The plan whose audio the request sends: <see cref="Plan"/>, or the fallback it fell through to
    /// (<see cref="SpeechPlan.Fallback"/>) when an earlier route failed before any audio.
    /// </summary>
    public SpeechPlan Served => Volatile.Read(ref _served) ?? Plan;

    public string RequestId { get; }

    /// <summary>True when the caller's own provider key pays for this request.</summary>
    public bool Byok { get; }

    public RateLimitDecision Limits { get; }

    internal long Started { get; }

    /// <summary>
    /// The billable characters the request has: its plan's, or for a stream (a WebSocket task), those accepted so far
    /// (<see cref="SpeechGateway.ReserveAsync"/>), which its settlement charges.
    /// </summary>
    public int Characters => StreamedCharacters ?? Served.Text.Characters;

    internal int? StreamedCharacters { get; set; }

    /// <summary>From admission to the first audio byte sent (<see cref="AudioSent"/>); null until then.</summary>
    internal TimeSpan? FirstByte => Volatile.Read(ref _firstAudioAt) is var at and not 0 ? _gateway.Time.GetElapsedTime(Started, at) : null;

    /// <summary>The audio produced so far (<see cref="AudioProduced"/>); null when none is known.</summary>
    internal TimeSpan? Audio => Interlocked.Read(ref _audioTicks) is var ticks and > 0 ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>How long the request's engine turns were held: the engine's computing time.</summary>
    internal TimeSpan EngineTime => TimeSpan.FromTicks(Interlocked.Read(ref _engineTicks));

    /// <summary>
    /// The surface reports that audio has left for the client (the first call counts): the request's time to first byte.
    /// A surface that buffers its answer calls it when the answer is sent.
    /// </summary>
    public void AudioSent() => Interlocked.CompareExchange(ref _firstAudioAt, _gateway.Time.GetTimestamp(), 0);

    /// <summary>The surface reports how much audio the request has produced so far (the largest report counts).</summary>
    public void AudioProduced(TimeSpan audio)
    {
        long ticks = audio.Ticks, seen;
        while (ticks > (seen = Interlocked.Read(ref _audioTicks)) && Interlocked.CompareExchange(ref _audioTicks, ticks, seen) != seen)
        {
        }
    }

    /// <summary>The turn taken at admission first, then turns ahead of new requests; each timed while held (<see cref="EngineTime"/>).</summary>
    public async ValueTask<IDisposable> TakeAsync(CancellationToken cancellationToken) =>
        new TimedTurn(this, Interlocked.Exchange(ref _firstTurn, null) is { } first ? first : await _gateway.NextTurnAsync(Plan, cancellationToken));

    public void Forgo() => Interlocked.Exchange(ref _firstTurn, null)?.Dispose();

    /// <summary>A turn on a fallback route's capacity: the turn taken at admission was for the first route's, so it goes back.</summary>
    public async ValueTask<IDisposable> TakeAsync(SpeechPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Route.Capacity == Plan.Route.Capacity)
        {
            return await TakeAsync(cancellationToken);
        }
        Forgo();
        return new TimedTurn(this, await _gateway.NextTurnAsync(plan, cancellationToken));
    }

    public void FellThrough(SpeechPlan failed, SpeechPlan next, Exception failure) => _gateway.FellThrough(this, failed, next, failure);

    public void Serving(SpeechPlan plan) => Volatile.Write(ref _served, plan);

    public async Task CompleteAsync(SpeechOutcome outcome)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }
        _holdRenewal?.Dispose();
        Forgo();
        _place.Dispose();
        await _gateway.CompleteAsync(this, outcome);
    }

    public async ValueTask DisposeAsync() => await CompleteAsync(new SpeechOutcome(SpeechOutcomeStatus.Failed));

    /// <summary>An engine turn that adds the time it was held to its request's engine time when given back.</summary>
    private sealed class TimedTurn(SpeechAdmission admission, IDisposable turn) : IDisposable
    {
        private readonly long _taken = admission._gateway.Time.GetTimestamp();
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                Interlocked.Add(ref admission._engineTicks, admission._gateway.Time.GetElapsedTime(_taken).Ticks);
                turn.Dispose();
            }
        }
    }
}
