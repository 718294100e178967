using System.Security.Cryptography;
using System.Text;
using Voxgate.Gateway.Security;

namespace Voxgate.Gateway.ProviderKeys;

/// <summary>
/// Seals provider keys with AES-256-GCM under a key derived from the master key. The account and provider are authenticated data, so
/// a sealed key copied to another account's row does not open.
/// </summary>
public sealed class ProviderKeyProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lazy<byte[]> _masterKey;

    public ProviderKeyProtector(MasterKey masterKey)
    {
        _masterKey = new Lazy<byte[]>(() => masterKey.Derive("provider keys"));
    }

    public byte[] Seal(string secret, long accountId, string provider)
    {
        byte[] plaintext = Encoding.UTF8.GetBytes(secret);
        byte[] sealedKey = new byte[NonceSize + plaintext.Length + TagSize];
        Span<byte> nonce = sealedKey.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_masterKey.Value, TagSize);
        aes.Encrypt(nonce, plaintext, sealedKey.AsSpan(NonceSize, plaintext.Length), sealedKey.AsSpan(NonceSize + plaintext.Length), Context(accountId, provider));
        CryptographicOperations.ZeroMemory(plaintext);
        return sealedKey;
    }

    /// <exception cref="CryptographicException">The sealed key was altered, belongs elsewhere, or the master key changed.</exception>
    public string Open(byte[] sealedKey, long accountId, string provider)
    {
        if (sealedKey.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed provider key is truncated.");
        }
        byte[] plaintext = new byte[sealedKey.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_masterKey.Value, TagSize);
        aes.Decrypt(sealedKey.AsSpan(0, NonceSize), sealedKey.AsSpan(NonceSize, plaintext.Length), sealedKey.AsSpan(NonceSize + plaintext.Length),
            plaintext, Context(accountId, provider));
        return Encoding.UTF8.GetString(plaintext);
    }

    private static byte[] Context(long accountId, string provider) => Encoding.UTF8.GetBytes($"voxgate provider key|{accountId}|{provider.ToLowerInvariant()}");
}
