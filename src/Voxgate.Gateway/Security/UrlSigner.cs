using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Voxgate.Gateway.Security;

/// <summary>
/// Signed, expiring download links: HMAC-SHA256 over the file id and the expiry time, under a key derived from the
/// master key. A link proves the right to one file until it expires, without an API key.
/// </summary>
public sealed class UrlSigner(MasterKey masterKey, TimeProvider time)
{
    private readonly Lazy<byte[]> _key = new(() => masterKey.Derive("download links"));

    public (long Expires, string Signature) Sign(long fileId, TimeSpan validity)
    {
        long expires = (time.GetUtcNow() + validity).ToUnixTimeSeconds();
        return (expires, Signature(fileId, expires));
    }

    public bool Verify(long fileId, long expires, string signature) =>
        expires > time.GetUtcNow().ToUnixTimeSeconds()
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(fileId, expires)), Encoding.ASCII.GetBytes(signature));

    private string Signature(long fileId, long expires) =>
        Base64Url(HMACSHA256.HashData(_key.Value, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{fileId}:{expires}"))));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
