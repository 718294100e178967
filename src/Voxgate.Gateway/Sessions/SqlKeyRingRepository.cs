using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Sessions;

/// <summary>
/// ASP.NET Core Data Protection's key ring kept in the database every node shares, so that an antiforgery token one
/// node wrote is read by any other. Data Protection seals each key's XML with <see cref="MasterKeyXmlEncryptor"/>
/// before it gets here.
/// </summary>
public sealed class SqlKeyRingRepository(IDatabase database) : IXmlRepository
{
    // Data Protection's interface is synchronous; it reads the ring once and again only when a key is due to expire.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        Sql.QueryAsync(database, "SELECT xml FROM data_protection_keys ORDER BY created_at, name", r => XElement.Parse(r.GetString(0)), CancellationToken.None)
            .GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        database.WriteAsync((connection, transaction) => Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING", CancellationToken.None,
            ("@name", friendlyName), ("@xml", element.ToString(SaveOptions.DisableFormatting)), ("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())),
            CancellationToken.None).GetAwaiter().GetResult();
}

/// <summary>Seals a Data Protection key's XML with AES-256-GCM under a key derived from the master key.</summary>
public sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    internal const string Purpose = "data protection key ring";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        byte[] plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        byte[] sealedXml = new byte[NonceSize + plaintext.Length + TagSize];
        RandomNumberGenerator.Fill(sealedXml.AsSpan(0, NonceSize));
        using var aes = new AesGcm(masterKey.Derive(Purpose), TagSize);
        aes.Encrypt(sealedXml.AsSpan(0, NonceSize), plaintext, sealedXml.AsSpan(NonceSize, plaintext.Length), sealedXml.AsSpan(NonceSize + plaintext.Length));
        CryptographicOperations.ZeroMemory(plaintext);
        return new EncryptedXmlInfo(new XElement("sealed", Convert.ToBase64String(sealedXml)), typeof(MasterKeyXmlDecryptor));
    }

    internal static XElement Open(byte[] key, byte[] sealedXml)
    {
        byte[] plaintext = new byte[sealedXml.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedXml.AsSpan(0, NonceSize), sealedXml.AsSpan(NonceSize, plaintext.Length), sealedXml.AsSpan(NonceSize + plaintext.Length), plaintext);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}

/// <summary>Opens what <see cref="MasterKeyXmlEncryptor"/> sealed; Data Protection makes it with the service provider.</summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        MasterKeyXmlEncryptor.Open(services.GetRequiredService<MasterKey>().Derive(MasterKeyXmlEncryptor.Purpose), Convert.FromBase64String(encryptedElement.Value));
}
