namespace Voxgate.Gateway.Files;

/// <summary>A file an account owns: its metadata; the bytes are in the data directory under its id.</summary>
public sealed record StoredFile(long Id, long AccountId, string Purpose, string Filename, long Bytes, string Sha256,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>File metadata. Every look-up by id is scoped to an account, so another account's file is simply not found.</summary>
public interface IFileStore
{
    void Add(StoredFile file);

    /// <summary>
    /// Adds the file only if its account's live files, with it, stay within the quota (checked and added in one
    /// transaction, so concurrent uploads cannot pass it together); false, and nothing added, otherwise.
    /// </summary>
    bool TryAddWithinQuota(StoredFile file, long maxBytes, int maxFiles);

    /// <summary>The bytes and number of an account's live files.</summary>
    (long Bytes, int Files) Usage(long accountId, DateTimeOffset now);

    StoredFile? Find(long accountId, long fileId);

    /// <summary>Unscoped: only for a download whose signed link already proved the right to it.</summary>
    StoredFile? FindForSignedDownload(long fileId);

    IReadOnlyList<StoredFile> List(long accountId, string? purpose, int limit);

    bool Delete(long accountId, long fileId);

    /// <summary>Removes and returns the files whose lifetime ended.</summary>
    IReadOnlyList<StoredFile> TakeExpired(DateTimeOffset now);
}
