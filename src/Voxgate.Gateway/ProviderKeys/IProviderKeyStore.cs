namespace Voxgate.Gateway.ProviderKeys;

/// <summary>A customer's key for an upstream provider, as listed: never the key, only its last characters.</summary>
public sealed record ProviderKeyInfo(string Provider, string Hint, DateTimeOffset CreatedAt);

/// <summary>Sealed provider keys per account and provider; one per pair (the last attached wins, on any node).</summary>
public interface IProviderKeyStore
{
    Task PutAsync(long accountId, string provider, byte[] sealedKey, string hint, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<byte[]?> FindAsync(long accountId, string provider, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(long accountId, string provider, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ProviderKeyInfo>> ListAsync(long accountId, CancellationToken cancellationToken = default);
}
