using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Upstreams;

/// <summary>What <see cref="RouteHealth.TryUse"/> says about trying a provider now.</summary>
public enum RouteUse
{
    /// <summary>The provider is in service.</summary>
    Healthy,

    /// <summary>The provider's cool-down has passed and this request is the one that probes it.</summary>
    Probe,

    /// <summary>The provider is cooling down (or another request is probing it): skip it.</summary>
    CoolingDown,
}

/// <summary>
/// This node's view of each upstream provider's health, a small circuit breaker per provider name: after
/// <see cref="UpstreamProviderOptions.FailuresBeforeCoolDown"/> failures in a row it takes the provider out for
/// <see cref="UpstreamProviderOptions.CoolDownSeconds"/>; then one request at a time is let through as a probe, whose
/// success puts the provider back and whose failure starts another cool-down. A probe that reports nothing (its
/// request was refused or cancelled before reaching the provider) lets another through after a further cool-down,
/// so a lost probe never keeps a provider out for good. Only failures before any audio count: they are the ones a
/// request can fall through. Per node, in memory, like the engines' capacity: each node judges what it sees.
/// </summary>
public sealed class RouteHealth(IOptions<UpstreamOptions> upstreams, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a request may try <paramref name="provider"/> now; <see cref="RouteUse.Probe"/> reserves the probe.</summary>
    public RouteUse TryUse(string provider)
    {
        State state = StateOf(provider);
        lock (state)
        {
            if (state.OutUntil is not { } until)
            {
                return RouteUse.Healthy;
            }
            long now = time.GetTimestamp();
            if (now < until || state.ProbeUntil is { } probing && now < probing)
            {
                return RouteUse.CoolingDown;
            }
            state.ProbeUntil = now + Ticks(CoolDown(provider));
            return RouteUse.Probe;
        }
    }

    /// <summary>The provider sent audio: it is in service, its failures forgotten.</summary>
    public void Succeeded(string provider)
    {
        State state = StateOf(provider);
        lock (state)
        {
            (state.Failures, state.OutUntil, state.ProbeUntil) = (0, null, null);
        }
    }

    /// <summary>The provider failed before any audio: one more in a row; enough of them (or a failed probe) take it out.</summary>
    public void Failed(string provider)
    {
        State state = StateOf(provider);
        lock (state)
        {
            state.Failures++;
            if (state.OutUntil is not null || state.Failures >= Math.Max(1, Settings(provider)?.FailuresBeforeCoolDown ?? 3))
            {
                (state.Failures, state.OutUntil, state.ProbeUntil) = (0, time.GetTimestamp() + Ticks(CoolDown(provider)), null);
            }
        }
    }

    /// <summary>Whether the provider is out of service now (cooling down or being probed), for reports.</summary>
    public bool IsOut(string provider)
    {
        State state = StateOf(provider);
        lock (state)
        {
            return state.OutUntil is not null;
        }
    }

    private State StateOf(string provider) => _states.GetOrAdd(provider, _ => new State());

    private UpstreamProviderOptions? Settings(string provider) => upstreams.Value.GetValueOrDefault(provider);

    private TimeSpan CoolDown(string provider) => TimeSpan.FromSeconds(Math.Max(0, Settings(provider)?.CoolDownSeconds ?? 30));

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private sealed class State
    {
        public int Failures;

        /// <summary>When the provider's cool-down ends (a timestamp); null while it is in service.</summary>
        public long? OutUntil;

        /// <summary>Until when a probe let through is waited for before another is let through.</summary>
        public long? ProbeUntil;
    }
}
