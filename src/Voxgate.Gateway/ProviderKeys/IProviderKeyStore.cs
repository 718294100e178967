namespace Voxgate.Gateway.ProviderKeys;

/// <summary>A customer's key for an upstream provider, as listed: never the key, only its last characters.</summary>
public sealed record ProviderKeyInfo(string Provider, string Hint, DateTimeOffset CreatedAt);

/// <summary>Sealed provider keys per account and provider.</summary>
public interface IProviderKeyStore
{
    void Put(long accountId, string provider, byte[] sealedKey, string hint, DateTimeOffset now);

    byte[]? Find(long accountId, string provider);

    bool Delete(long accountId, string provider);

    IReadOnlyList<ProviderKeyInfo> List(long accountId);
}
