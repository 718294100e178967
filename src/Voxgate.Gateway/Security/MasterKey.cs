using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Security;

/// <summary>
/// The server's one secret: 32 bytes from <c>VOXGATE_MASTER_KEY</c> (base64), else <c>&lt;data&gt;/master.key</c>, created
/// on first need with mode 0600. Each use gets its own key derived with HKDF, so no two purposes share a key.
/// </summary>
public sealed class MasterKey
{
    private readonly Lazy<byte[]> _key;

    public MasterKey(IOptions<ProviderKeyOptions> options, IOptions<StorageOptions> storage)
    {
        _key = new Lazy<byte[]>(() => Load(options.Value.MasterKey, Path.Combine(storage.Value.DataDirectory, "master.key")));
    }

    /// <summary>A 32-byte key for one purpose ("provider keys", "download links").</summary>
    public byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key.Value, 32, salt: [], info: Encoding.UTF8.GetBytes("voxgate|" + purpose));

    private static byte[] Load(string? configured, string file)
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
