using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway;

/// <summary>
/// Streams: requests whose text arrives while they are spoken (a MiniMax WebSocket task). One admission per stream
/// (its request counted against the per-minute limit once, its account's place held for its whole life), and as text
/// is accepted, its characters taken from the key's characters per minute and a hold that grows, so that the limit
/// and the wallet cover every character before it is spoken; settled once, with the characters accepted (or
/// delivered, when the client went away), like any other request.
/// </summary>
public sealed partial class SpeechGateway
{
    /// <summary>
    /// Admits a stream whose text is still to come: the request's parameters are checked now, its text with each
    /// piece. It is planned for each of the model's routes as a request is (<see cref="SpeechPlan.Fallback"/>), so a
    /// task whose provider fails before any audio goes on with the next route; one hold covers them all.
    /// </summary>
    /// <exception cref="SpeechRequestException">The request is invalid.</exception>
    /// <exception cref="GatewayException">The caller is over a limit, or the engine is saturated.</exception>
    public async Task<SpeechAdmission> AdmitStreamAsync(Caller caller, SpeechRequest request, string requestId, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        ModelDefinition model = planner.FindModel(request.Model);
        IReadOnlyList<UpstreamRoute?> routes = await RoutesAsync(model, caller, request, cancellationToken);
        // A task speaks through a provider's WebSocket, which only MiniMax-compatible providers have: the others are
        // left out of its routes, unless they are all it has (then the first one's refusal is the answer).
        IReadOnlyList<UpstreamRoute?> sockets = [.. routes.Where(r => r is null || UpstreamKind.Is(r.Kind, UpstreamKind.MiniMax))];
        SpeechPlan plan = await PlanRoutesAsync(caller, request, sockets.Count > 0 ? sockets : routes, planner.PlanStream, cancellationToken);
        SpeechAdmission admission = await AdmitPlanAsync(caller, plan, requestId, started, cancellationToken);
        admission.StreamedCharacters = 0;
        if (admission.Plan.Route is LocalSynthesis)
        {
            // No text yet: the turn taken at admission (which proved there is room) goes back at once, so an idle
            // stream never holds an engine; each segment takes its own turn when its text has arrived. A provider's
            // task keeps its turn, one of the provider's connections, for its whole life.
            admission.Forgo();
        }
        return admission;
    }

    /// <summary>
    /// Accepts a stream's further text (<paramref name="characters"/> accepted so far in all): the characters added
    /// are taken from the key's characters per minute (the stream was admitted with none, so none is counted twice),
    /// its hold is raised to the whole cost, and they become what the stream is charged when it ends.
    /// </summary>
    /// <exception cref="GatewayException">
    /// The characters added are over the key's characters per minute (nothing is taken; retry after the refusal's
    /// <see cref="GatewayException.RetryAfter"/>, or never when they exceed the whole limit), or the wallet cannot
    /// cover them (the hold is unchanged; the characters taken from the limit stay spent, as a refused request's do).
    /// </exception>
    public async Task ReserveAsync(SpeechAdmission admission, int characters, CancellationToken cancellationToken)
    {
        if (characters <= admission.Characters)
        {
            return;
        }
        Caller caller = admission.Caller;
        int added = characters - admission.Characters;
        RateLimitDecision limits = await LimitedAsync(caller, admission.Plan.Model.Id, admission.RequestId,
            () => rateLimiter.TakeCharactersAsync(caller, added, cancellationToken));
        if (!limits.Allowed)
        {
            throw Refuse(caller, admission.Plan, admission.RequestId, UsageStatus.RateLimited, StreamRateLimited(limits, added));
        }
        if (caller.AccountId is long account && admission.Plan.Routes.Any(p => !IsByok(p)))
        {
            ModelDefinition model = admission.Plan.Model;
            long cost = Money.Cost(characters, model.PricePer1KCharactersMicros);
            DateTimeOffset now = time.GetUtcNow();
            if (!await billing.TryRaiseHoldAsync(account, admission.RequestId, cost, now, now + billingOptions.Value.HoldLifetime, cancellationToken))
            {
                WalletState wallet = await billing.GetWalletAsync(account, now, cancellationToken);
                long available = Math.Max(0, wallet.AvailableMicros + Money.Cost(admission.Characters, model.PricePer1KCharactersMicros));
                throw Refuse(caller, admission.Plan, admission.RequestId, UsageStatus.InsufficientCredits, new GatewayException(GatewayRefusal.InsufficientCredits,
                    $"Insufficient credits: the text of this task so far costs ${Money.FormatDollars(cost)} ({characters} characters of {model.Id} at " +
                    $"${Money.FormatDollars(model.PricePer1KCharactersMicros)} per 1K), and ${Money.FormatDollars(available)} is available. Top up the wallet."));
            }
        }
        admission.StreamedCharacters = characters;
    }

    /// <summary>A stream's text over the key's characters per minute: the task ends, as a request over the limit is refused.</summary>
    private static GatewayException StreamRateLimited(RateLimitDecision limits, int characters)
    {
        const string ended = "The task ended with the audio sent so far, which alone is charged.";
        if (limits.RetryAfter == TimeSpan.MaxValue)
        {
            return new GatewayException(GatewayRefusal.RequestExceedsLimit,
                $"The task's next text has {characters} characters: more than this key's whole limit of {limits.Characters.Limit} characters per " +
                $"minute, so it can never pass. {ended} Send the text in shorter pieces (a sentence at a time), or ask for a higher limit.",
                null, limits);
        }
        return new GatewayException(GatewayRefusal.RateLimited,
            $"Rate limit reached: this key allows {limits.Characters.Limit} characters per minute, and the task's next {characters} characters " +
            $"are over it. {ended} Start a task with the rest after {Math.Ceiling(limits.RetryAfter.TotalSeconds):0} s.", limits.RetryAfter, limits);
    }
}
