using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway;

/// <summary>
/// Streams: requests whose text arrives while they are spoken (a MiniMax WebSocket task). One admission per stream
/// (its request counted against the per-minute limit once, its account's place held for its whole life), and a hold
/// that grows as text is accepted, so the wallet covers every character before it is spoken; settled once, with the
/// characters accepted (or delivered, when the client went away), like any other request.
/// </summary>
public sealed partial class SpeechGateway
{
    /// <summary>Admits a stream whose text is still to come: the request's parameters are checked now, its text with each piece.</summary>
    /// <exception cref="SpeechRequestException">The request is invalid.</exception>
    /// <exception cref="GatewayException">The caller is over a limit, or the engine is saturated.</exception>
    public async Task<SpeechAdmission> AdmitStreamAsync(Caller caller, SpeechRequest request, string requestId, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        ModelDefinition model = planner.FindModel(request.Model);
        UpstreamRoute? route = await router.RouteAsync(model, caller, cancellationToken);
        request = await voices.ResolveAsync(caller.AccountId, request, route, cancellationToken); // a custom voice id, as for any request
        SpeechAdmission admission = await AdmitPlanAsync(caller, planner.PlanStream(request, route), route, requestId, started, cancellationToken);
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
    /// Sets money aside for a stream's text accepted so far (<paramref name="characters"/> in all): its hold is raised
    /// to their whole cost, and they become what the stream is charged when it ends.
    /// </summary>
    /// <exception cref="GatewayException">The wallet cannot cover them (the hold is unchanged).</exception>
    public async Task ReserveAsync(SpeechAdmission admission, int characters, CancellationToken cancellationToken)
    {
        if (characters <= admission.Characters)
        {
            return;
        }
        Caller caller = admission.Caller;
        if (caller.AccountId is long account && !admission.Byok)
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
}
