using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway;

/// <summary>
/// Decides whether a model's request goes to its upstream provider, and with whose key: the caller's own key (BYOK)
/// when attached, else the operator's. A model whose provider has no address, or no key for this caller, is served
/// by its local engine.
/// </summary>
public sealed class UpstreamRouter(IOptions<UpstreamOptions> upstreams, UpstreamProviders kinds, ProviderKeyService providerKeys)
{
    public async Task<UpstreamRoute?> RouteAsync(ModelDefinition model, Caller caller, CancellationToken cancellationToken = default)
    {
        if (model.Upstream is not { } name || !upstreams.Value.TryGetValue(name, out UpstreamProviderOptions? provider) || !provider.IsConfigured
            || kinds.Find(provider.Kind) is not { } kind)
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
            model.UpstreamModel ?? model.Id, TimeSpan.FromSeconds(provider.TimeoutSeconds));
    }

    /// <summary>How the catalog describes the model's route to everyone (BYOK decides per caller on top of it).</summary>
    public (bool Configured, bool OperatorKey) Describe(ModelDefinition model) =>
        model.Upstream is { } name && upstreams.Value.TryGetValue(name, out UpstreamProviderOptions? provider) && provider.IsConfigured
            ? (true, !string.IsNullOrEmpty(provider.ApiKey))
            : (false, false);
}
