using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Storage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProviderKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("voxgate-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ProviderKeyProtector Protector(string? masterKey = null) =>
        new(new MasterKey(Options.Create(new ProviderKeyOptions { MasterKey = masterKey }), Options.Create(new StorageOptions { DataDirectory = _directory })));

    [Fact]
    public void SealedKeysOpenOnlyForTheirAccountAndProvider()
    {
        ProviderKeyProtector protector = Protector();
        byte[] sealedKey = protector.Seal("sk-provider-secret-1234", 7, "minimax");
        Assert.Equal(-1, sealedKey.AsSpan().IndexOf("secret"u8));
        Assert.Equal("sk-provider-secret-1234", protector.Open(sealedKey, 7, "minimax"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Open(sealedKey, 8, "minimax"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Open(sealedKey, 7, "openai"));
        sealedKey[20] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Open(sealedKey, 7, "minimax"));
    }

    [Fact]
    public void TheMasterKeyFileIsCreatedOncePrivatelyAndReused()
    {
        byte[] sealedKey = Protector().Seal("sk-provider-secret-1234", 1, "openai");
        string file = Path.Combine(_directory, "master.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("sk-provider-secret-1234", Protector().Open(sealedKey, 1, "openai"));
    }

    [Fact]
    public void AConfiguredMasterKeyWinsAndMustBe32Bytes()
    {
        string configured = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        byte[] sealedKey = Protector(configured).Seal("sk-provider-secret-1234", 1, "openai");
        Assert.ThrowsAny<CryptographicException>(() => Protector().Open(sealedKey, 1, "openai"));
        Assert.Throws<InvalidOperationException>(() => Protector(Convert.ToBase64String(new byte[16])).Seal("x", 1, "openai"));
    }
}
