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

    /// <summary>
    /// Refuses an upload at once, before its body is read, when the account's files are already at their quota; the
    /// exact check (with the file's own size) is made as the file is recorded.
    /// </summary>
    /// <exception cref="GatewayInputException">The account's live files are at their quota.</exception>
    public void CheckQuota(long accountId)
    {
        (long bytes, int files) = store.Usage(accountId, time.GetUtcNow());
        if (bytes >= Options.MaxBytesPerAccount || files >= Options.MaxFilesPerAccount)
        {
            throw QuotaExceeded(bytes, files);
        }
    }

    /// <summary>Stores a file; <paramref name="write"/> writes its bytes. Returns the record.</summary>
    /// <param name="id">A reserved id (an asynchronous task's result), or null for a new one.</param>
    /// <param name="withinQuota">Refuse the file if the account's files would pass their quota (uploads).</param>
    /// <exception cref="GatewayInputException">With <paramref name="withinQuota"/>: the quota would be passed.</exception>
    public async Task<StoredFile> SaveAsync(long accountId, string purpose, string filename, TimeSpan lifetime,
        Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken, long? id = null, bool withinQuota = false)
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
            DateTimeOffset now = time.GetUtcNow();
            var file = new StoredFile(fileId, accountId, purpose, filename, bytes, sha256, now, now + lifetime);
            if (withinQuota)
            {
                // Recorded before its bytes take their name, so a refused upload leaves nothing behind.
                if (!store.TryAddWithinQuota(file, Options.MaxBytesPerAccount, Options.MaxFilesPerAccount))
                {
                    (long used, int count) = store.Usage(accountId, now);
                    throw QuotaExceeded(used, count);
                }
                File.Move(temporary, PathOf(fileId), overwrite: true);
                return file;
            }
            File.Move(temporary, PathOf(fileId), overwrite: true);
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

    /// <summary>
    /// Deletes temporary files a killed process left (a result or an upload being written when it died, a spill file
    /// not yet unlinked). Run at start-up, before this process writes any: one server owns a data directory.
    /// </summary>
    public int SweepTemporaries(string spillDirectory)
    {
        int deleted = 0;
        foreach (string directory in new[] { Directory, spillDirectory })
        {
            if (!System.IO.Directory.Exists(directory))
            {
                continue;
            }
            foreach (string temporary in System.IO.Directory.EnumerateFiles(directory, "*.tmp"))
            {
                File.Delete(temporary);
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>True while a file id still names a live file (an asynchronous result that has not expired).</summary>
    public bool Exists(long accountId, long fileId) => store.Find(accountId, fileId) is { } file && file.ExpiresAt > time.GetUtcNow();

    private GatewayInputException QuotaExceeded(long bytes, int files) => new("file",
        $"This account's stored files are at their quota ({files:N0} files, {bytes:N0} bytes; at most {Options.MaxFilesPerAccount:N0} files " +
        $"and {Options.MaxBytesPerAccount:N0} bytes). Delete files with files/delete, or wait for them to expire.");

    private string PathOf(long fileId) => Path.Combine(Directory, fileId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
