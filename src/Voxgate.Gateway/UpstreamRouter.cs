using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway;

/// <summary>
/// Decides where a model's request goes: the model's routes in order (<see cref="ModelDefinition.Routes"/>, or just
/// its <see cref="ModelDefinition.Upstream"/>), each provider with whose key: the caller's own (BYOK) when attached,
/// else the operator's. A provider with no address, no registered kind or no key for this caller is left out, and so
/// is one cooling down after failures (<see cref="RouteHealth"/>) unless every listed provider is; when nothing is
/// left, the model's local engine serves it.
/// </summary>
public sealed class UpstreamRouter(IOptions<UpstreamOptions> upstreams, UpstreamProviders kinds, RouteHealth health, ProviderKeyService providerKeys)
{
    /// <summary>The routes a request tries in order, the first serving unless it fails before any audio; null is the local engine.</summary>
    public async Task<IReadOnlyList<UpstreamRoute?>> RoutesAsync(ModelDefinition model, Caller caller, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<UpstreamRoute?> routes = await ListAsync(model, caller, cancellationToken);
        return routes.Count > 0 ? routes : [null];
    }

    /// <summary>
    /// The routes for speech with <paramref name="voice"/>, which exists only at <paramref name="provider"/>: the
    /// model's routes to that provider (tried even while it cools down, as a model's only provider is), never another
    /// provider or the local engine, which do not have the voice. Empty when the model does not route there.
    /// </summary>
    public async Task<IReadOnlyList<UpstreamRoute>> HeldVoiceRoutesAsync(ModelDefinition model, Caller caller, string provider, string voice,
        CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(model, caller, cancellationToken, provider)).OfType<UpstreamRoute>().Select(route => route.ForHeldVoice(voice))];

    private async Task<IReadOnlyList<UpstreamRoute?>> ListAsync(ModelDefinition model, Caller caller, CancellationToken cancellationToken, string? onlyProvider = null)
    {
        var usable = new List<UpstreamRoute?>();
        var coolingDown = new List<UpstreamRoute?>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string entry in model.Routes.Count > 0 ? model.Routes : model.Upstream is { } single ? [single] : [])
        {
            string[] parts = entry.Split(':', 2, StringSplitOptions.TrimEntries);
            if (!seen.Add(parts[0]) || onlyProvider is not null && !parts[0].Equals(onlyProvider, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (parts[0].Equals(ModelDefinition.LocalRoute, StringComparison.OrdinalIgnoreCase))
            {
                usable.Add(null);
            }
            else if (await RouteAsync(model, parts[0], parts.Length > 1 ? parts[1] : null, caller, cancellationToken) is { } route)
            {
                (health.TryUse(route.Provider) == RouteUse.CoolingDown ? coolingDown : usable).Add(route);
            }
        }
        // Every provider cooling down and nothing else listed: tried anyway, in order, rather than served by an
        // engine the model does not list (a single provider then behaves as it did before cool-downs existed).
        return usable.Count > 0 ? usable : coolingDown;
    }

    /// <summary>The route a request tries first (where a voice is made, or deleted); null is the local engine.</summary>
    public async Task<UpstreamRoute?> RouteAsync(ModelDefinition model, Caller caller, CancellationToken cancellationToken = default) =>
        (await RoutesAsync(model, caller, cancellationToken))[0];

    private async Task<UpstreamRoute?> RouteAsync(ModelDefinition model, string name, string? modelThere, Caller caller, CancellationToken cancellationToken)
    {
        if (!upstreams.Value.TryGetValue(name, out UpstreamProviderOptions? provider) || !provider.IsConfigured || kinds.Find(provider.Kind) is not { } kind)
        {
            return null;
        }
        string? own = caller.AccountId is long account ? await providerKeys.FindAsync(account, name, cancellationToken) : null;
        string? key = own ?? provider.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }
        return new UpstreamRoute(name.ToLowerInvariant(), kind.Kind, new Uri(provider.BaseUrl!), key, byok: own is not null,
            string.IsNullOrEmpty(modelThere) ? model.UpstreamModel ?? model.Id : modelThere, TimeSpan.FromSeconds(provider.TimeoutSeconds));
    }

    /// <summary>How the catalog describes the model's route to everyone (BYOK decides per caller on top of it).</summary>
    public (bool Configured, bool OperatorKey) Describe(ModelDefinition model) =>
        model.Upstream is { } name && upstreams.Value.TryGetValue(name, out UpstreamProviderOptions? provider) && provider.IsConfigured
            ? (true, !string.IsNullOrEmpty(provider.ApiKey))
            : (false, false);
}
