using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway.ProviderKeys;

/// <summary>Customers' own provider keys (BYOK): attached, listed by hint, removed, and opened only to call the provider.</summary>
public sealed class ProviderKeyService(IProviderKeyStore store, ProviderKeyProtector protector, IOptions<UpstreamOptions> upstreams, TimeProvider time)
{
    public async Task<ProviderKeyInfo> AttachAsync(long accountId, string provider, string apiKey, CancellationToken cancellationToken = default)
    {
        string name = KnownProvider(provider);
        apiKey = apiKey.Trim();
        if (apiKey.Length is < 8 or > 512 || apiKey.Any(char.IsControl))
        {
            throw new GatewayInputException("api_key", "A provider key is 8 to 512 printable characters.");
        }
        string hint = "..." + apiKey[^4..];
        DateTimeOffset now = time.GetUtcNow();
        await store.PutAsync(accountId, name, protector.Seal(apiKey, accountId, name), hint, now, cancellationToken);
        return new ProviderKeyInfo(name, hint, now);
    }

    /// <summary>The account's own key for the provider, or null.</summary>
    public async Task<string?> FindAsync(long accountId, string provider, CancellationToken cancellationToken = default) =>
        await store.FindAsync(accountId, provider.ToLowerInvariant(), cancellationToken) is { } sealedKey
            ? protector.Open(sealedKey, accountId, provider.ToLowerInvariant())
            : null;

    public async Task RemoveAsync(long accountId, string provider, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteAsync(accountId, provider.ToLowerInvariant(), cancellationToken))
        {
            throw new NotFoundException($"No key for provider '{provider}' is attached to this account.");
        }
    }

    public Task<IReadOnlyList<ProviderKeyInfo>> ListAsync(long accountId, CancellationToken cancellationToken = default) =>
        store.ListAsync(accountId, cancellationToken);

    private string KnownProvider(string provider)
    {
        string name = provider.Trim().ToLowerInvariant();
        return upstreams.Value.ContainsKey(name)
            ? name
            : throw new GatewayInputException("provider", $"Unknown provider '{provider}'. Providers on this server: {string.Join(", ", upstreams.Value.Keys.Order())}.");
    }
}
