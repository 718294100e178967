using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Storage;

namespace Voxgate.Gateway.Files;

/// <summary>
/// Files an account owns: bytes in the files directory under their id (<c>--files</c>, <c>VOXGATE_FILES</c>, default
/// <c>&lt;data&gt;/files</c>; every node of a deployment shares it), written to a temporary name and renamed, so a file is
/// whole or absent; metadata in the store; signed links for downloads; and deletion when they expire.
/// </summary>
public sealed class FileService(IFileStore store, UrlSigner signer, IOptions<StorageOptions> storage, IOptions<FileStoreOptions> options, NodeIdentity node,
    TimeProvider time)
{
    /// <summary>Temporary files of a node that died are deleted by whichever node sweeps, once they are this old.</summary>
    private static readonly TimeSpan s_abandonedAfter = TimeSpan.FromDays(1);

    public FileStoreOptions Options => options.Value;

    private string Directory => options.Value.Directory ?? Path.Combine(storage.Value.DataDirectory, "files");

    /// <summary>This node's mark in the names of its temporary files (a file-name-safe form of its name).</summary>
    private string NodeMark => new([.. node.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);

    /// <summary>
    /// Refuses an upload at once, before its body is read, when the account's files are already at their quota; the
    /// exact check (with the file's own size) is made as the file is recorded.
    /// </summary>
    /// <exception cref="GatewayInputException">The account's live files are at their quota.</exception>
    public async Task CheckQuotaAsync(long accountId, CancellationToken cancellationToken = default)
    {
        (long bytes, int files) = await store.UsageAsync(accountId, time.GetUtcNow(), cancellationToken);
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
        string temporary = PathOf(fileId) + $".{NodeMark}.{Guid.NewGuid():N}.tmp";
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
                if (!await store.TryAddWithinQuotaAsync(file, Options.MaxBytesPerAccount, Options.MaxFilesPerAccount, CancellationToken.None))
                {
                    (long used, int count) = await store.UsageAsync(accountId, now, CancellationToken.None);
                    throw QuotaExceeded(used, count);
                }
                File.Move(temporary, PathOf(fileId), overwrite: true);
                return file;
            }
            File.Move(temporary, PathOf(fileId), overwrite: true);
            await store.AddAsync(file, CancellationToken.None);
            return file;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <exception cref="NotFoundException">No such file for this account (the same answer whoever else owns the id).</exception>
    public async Task<StoredFile> GetAsync(long accountId, long fileId, CancellationToken cancellationToken = default) =>
        await store.FindAsync(accountId, fileId, cancellationToken) is { } file && file.ExpiresAt > time.GetUtcNow() && File.Exists(PathOf(file.Id))
            ? file
            : throw new NotFoundException($"There is no file {fileId}.");

    public async Task<IReadOnlyList<StoredFile>> ListAsync(long accountId, string? purpose, CancellationToken cancellationToken = default) =>
        [.. (await store.ListAsync(accountId, purpose, 1000, cancellationToken)).Where(f => f.ExpiresAt > time.GetUtcNow())];

    public Stream OpenRead(StoredFile file) => new FileStream(PathOf(file.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);

    public async Task DeleteAsync(long accountId, long fileId, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteAsync(accountId, fileId, cancellationToken))
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
    public async Task<StoredFile?> VerifyDownloadAsync(long fileId, long expires, string signature, CancellationToken cancellationToken = default) =>
        signer.Verify(fileId, expires, signature) && await store.FindForSignedDownloadAsync(fileId, cancellationToken) is { } file
            && file.ExpiresAt > time.GetUtcNow() && File.Exists(PathOf(fileId))
            ? file
            : null;

    /// <summary>Deletes expired files' bytes and records; returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StoredFile> expired = await store.TakeExpiredAsync(time.GetUtcNow(), cancellationToken);
        foreach (StoredFile file in expired)
        {
            File.Delete(PathOf(file.Id));
        }
        return expired.Count;
    }

    /// <summary>
    /// Deletes temporary files a killed process left: in the shared files directory, this node's (a result or an
    /// upload being written when it died) and any node's older than a day (a node that never came back); in the
    /// node's own spill directory, all of them. Run at start-up, before this process writes any.
    /// </summary>
    public int SweepTemporaries(string spillDirectory)
    {
        int deleted = 0;
        DateTime abandoned = time.GetUtcNow().UtcDateTime - s_abandonedAfter;
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (string temporary in System.IO.Directory.EnumerateFiles(Directory, "*.tmp"))
            {
                if (Path.GetFileName(temporary).Contains($".{NodeMark}.", StringComparison.Ordinal) || File.GetLastWriteTimeUtc(temporary) < abandoned)
                {
                    File.Delete(temporary);
                    deleted++;
                }
            }
        }
        if (System.IO.Directory.Exists(spillDirectory))
        {
            foreach (string temporary in System.IO.Directory.EnumerateFiles(spillDirectory, "*.tmp"))
            {
                File.Delete(temporary);
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>True while a file id still names a live file (an asynchronous result that has not expired).</summary>
    public async Task<bool> ExistsAsync(long accountId, long fileId, CancellationToken cancellationToken = default) =>
        await store.FindAsync(accountId, fileId, cancellationToken) is { } file && file.ExpiresAt > time.GetUtcNow();

    private GatewayInputException QuotaExceeded(long bytes, int files) => new("file",
        $"This account's stored files are at their quota ({files:N0} files, {bytes:N0} bytes; at most {Options.MaxFilesPerAccount:N0} files " +
        $"and {Options.MaxBytesPerAccount:N0} bytes). Delete files with files/delete, or wait for them to expire.");

    private string PathOf(long fileId) => Path.Combine(Directory, fileId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
