using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Files;

/// <summary>
/// Files an account owns: bytes in <c>&lt;data&gt;/files/&lt;id&gt;</c> (written to a temporary name, then renamed, so a
/// file is whole or absent), metadata in the store, signed links for downloads, and deletion when they expire.
/// </summary>
public sealed class FileService(IFileStore store, UrlSigner signer, IOptions<StorageOptions> storage, IOptions<FileStoreOptions> options, TimeProvider time)
{
    public FileStoreOptions Options => options.Value;

    private string Directory => Path.Combine(storage.Value.DataDirectory, "files");

    /// <summary>Stores a file; <paramref name="write"/> writes its bytes. Returns the record.</summary>
    /// <param name="id">A reserved id (an asynchronous task's result), or null for a new one.</param>
    public async Task<StoredFile> SaveAsync(long accountId, string purpose, string filename, TimeSpan lifetime,
        Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken, long? id = null)
    {
        long fileId = id ?? RandomIds.Next();
        System.IO.Directory.CreateDirectory(Directory);
        string temporary = PathOf(fileId) + $".{Guid.NewGuid():N}.tmp";
        try
        {
            string sha256;
            long bytes;
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                bytes = stream.Length;
                stream.Position = 0;
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            }
            File.Move(temporary, PathOf(fileId), overwrite: true);
            DateTimeOffset now = time.GetUtcNow();
            var file = new StoredFile(fileId, accountId, purpose, filename, bytes, sha256, now, now + lifetime);
            store.Add(file);
            return file;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <exception cref="NotFoundException">No such file for this account (the same answer whoever else owns the id).</exception>
    public StoredFile Get(long accountId, long fileId) =>
        store.Find(accountId, fileId) is { } file && file.ExpiresAt > time.GetUtcNow() && File.Exists(PathOf(file.Id))
            ? file
            : throw new NotFoundException($"There is no file {fileId}.");

    public IReadOnlyList<StoredFile> List(long accountId, string? purpose) =>
        [.. store.List(accountId, purpose, 1000).Where(f => f.ExpiresAt > time.GetUtcNow())];

    public Stream OpenRead(StoredFile file) => new FileStream(PathOf(file.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);

    public void Delete(long accountId, long fileId)
    {
        if (!store.Delete(accountId, fileId))
        {
            throw new NotFoundException($"There is no file {fileId}.");
        }
        File.Delete(PathOf(fileId));
    }

    /// <summary>The path and query of a signed link to the file, valid for <paramref name="validity"/> (never past the file's own expiry).</summary>
    public (string PathAndQuery, DateTimeOffset Expires) SignedDownload(StoredFile file, TimeSpan validity)
    {
        TimeSpan remaining = file.ExpiresAt - time.GetUtcNow();
        (long expires, string signature) = signer.Sign(file.Id, validity < remaining ? validity : remaining);
        return ($"v1/files/download/{file.Id}?expires={expires}&signature={signature}", DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    /// <summary>The file a signed link names, if the link is genuine and unexpired and the file still exists.</summary>
    public StoredFile? VerifyDownload(long fileId, long expires, string signature) =>
        signer.Verify(fileId, expires, signature) && store.FindForSignedDownload(fileId) is { } file && file.ExpiresAt > time.GetUtcNow() && File.Exists(PathOf(fileId))
            ? file
            : null;

    /// <summary>Deletes expired files' bytes and records; returns how many.</summary>
    public int SweepExpired()
    {
        IReadOnlyList<StoredFile> expired = store.TakeExpired(time.GetUtcNow());
        foreach (StoredFile file in expired)
        {
            File.Delete(PathOf(file.Id));
        }
        return expired.Count;
    }

    /// <summary>True while a file id still names a live file (an asynchronous result that has not expired).</summary>
    public bool Exists(long accountId, long fileId) => store.Find(accountId, fileId) is { } file && file.ExpiresAt > time.GetUtcNow();

    private string PathOf(long fileId) => Path.Combine(Directory, fileId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
