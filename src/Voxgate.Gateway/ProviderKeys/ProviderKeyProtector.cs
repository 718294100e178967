using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.ProviderKeys;

/// <summary>
/// Seals provider keys with AES-256-GCM under the master key. The account and provider are authenticated data, so
/// a sealed key copied to another account's row does not open.
/// </summary>
public sealed class ProviderKeyProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lazy<byte[]> _masterKey;

    public ProviderKeyProtector(IOptions<ProviderKeyOptions> options, IOptions<StorageOptions> storage)
    {
        _masterKey = new Lazy<byte[]>(() => LoadMasterKey(options.Value.MasterKey, Path.Combine(storage.Value.DataDirectory, "master.key")));
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

    private static byte[] LoadMasterKey(string? configured, string file)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Decode(configured, "VOXGATE_MASTER_KEY");
        }
        if (!File.Exists(file))
        {
            // Created once, readable by the owner only; a second process racing here loses the create and reads the file.
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var stream = new FileStream(file, create);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(file))
            {
            }
        }
        return Decode(File.ReadAllText(file).Trim(), file);
    }

    private static byte[] Decode(string base64, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The master key in {source} is not base64.");
        }
        return key.Length == 32 ? key : throw new InvalidOperationException($"The master key in {source} must be 32 bytes; it is {key.Length}.");
    }
}
