using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Security;

/// <summary>
/// The server's one secret: 32 bytes from <c>VOXGATE_MASTER_KEY</c> (base64); else, on a database nodes share, one
/// generated once and kept in it (so every node seals and signs alike; setting the variable keeps it out of the
/// database, which is better); else <c>&lt;data&gt;/master.key</c>, created on first need with mode 0600. Each use gets
/// its own key derived with HKDF, so no two purposes share a key.
/// </summary>
public sealed class MasterKey
{
    public const string SecretName = "master_key";

    private readonly IOptions<ProviderKeyOptions> _options;
    private readonly string _file;
    private readonly IDatabase? _database;
    private readonly ISecretStore? _secrets;
    private readonly Lazy<Task<byte[]>> _key;

    public MasterKey(IOptions<ProviderKeyOptions> options, IOptions<StorageOptions> storage, IDatabase? database = null, ISecretStore? secrets = null)
    {
        _options = options;
        _file = Path.Combine(storage.Value.DataDirectory, "master.key");
        _database = database;
        _secrets = secrets;
        _key = new Lazy<Task<byte[]>>(LoadAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Loads the key (start-up does, so that no request waits for it, and a bad key stops the start).</summary>
    public Task LoadAsync(CancellationToken cancellationToken = default) => _key.Value;

    /// <summary>A 32-byte key for one purpose ("provider keys", "download links").</summary>
    public byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key.Value.GetAwaiter().GetResult(), 32, salt: [], info: Encoding.UTF8.GetBytes("voxgate|" + purpose));

    private async Task<byte[]> LoadAsync()
    {
        if (!string.IsNullOrWhiteSpace(_options.Value.MasterKey))
        {
            return Decode(_options.Value.MasterKey, "VOXGATE_MASTER_KEY");
        }
        if (_database is { Shared: true } && _secrets is not null)
        {
            byte[] shared = await _secrets.GetOrCreateAsync(SecretName, () => RandomNumberGenerator.GetBytes(32));
            return shared.Length == 32 ? shared : throw new InvalidOperationException($"The master key in the database must be 32 bytes; it is {shared.Length}.");
        }
        return LoadFile(_file);
    }

    /// <summary>The key file's contents, creating it first when there is none.</summary>
    public static byte[] LoadFile(string file)
    {
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

    /// <summary>The key file's contents, or null when there is none (read only: nothing is created).</summary>
    /// <exception cref="InvalidOperationException">The file holds no 32-byte base64 key.</exception>
    public static byte[]? ReadFile(string file) => File.Exists(file) ? Decode(File.ReadAllText(file).Trim(), file) : null;

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
