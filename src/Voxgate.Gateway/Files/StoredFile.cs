namespace Voxgate.Gateway.Files;

/// <summary>A file an account owns: its metadata; the bytes are in the files directory under its id.</summary>
public sealed record StoredFile(long Id, long AccountId, string Purpose, string Filename, long Bytes, string Sha256,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// File metadata. Every look-up by id is scoped to an account, so another account's file is simply not found. The
/// bytes live elsewhere (<see cref="FileService"/>: a directory every node shares), so an object store could take
/// their place without touching this.
/// </summary>
public interface IFileStore
{
    /// <summary>Adds the record, or replaces it when the id is the same account's (a task's result written again).</summary>
    Task AddAsync(StoredFile file, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the file only if its account's live files, with it, stay within the quota (checked and added in one
    /// transaction that holds the account's row, so concurrent uploads on any node cannot pass it together); false,
    /// and nothing added, otherwise.
    /// </summary>
    Task<bool> TryAddWithinQuotaAsync(StoredFile file, long maxBytes, int maxFiles, CancellationToken cancellationToken = default);

    /// <summary>The bytes and number of an account's live files.</summary>
    Task<(long Bytes, int Files)> UsageAsync(long accountId, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<StoredFile?> FindAsync(long accountId, long fileId, CancellationToken cancellationToken = default);

    /// <summary>Unscoped: only for a download whose signed link already proved the right to it.</summary>
    Task<StoredFile?> FindForSignedDownloadAsync(long fileId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredFile>> ListAsync(long accountId, string? purpose, int limit, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(long accountId, long fileId, CancellationToken cancellationToken = default);

    /// <summary>Removes and returns the files whose lifetime ended (each by exactly one caller, whichever node sweeps).</summary>
    Task<IReadOnlyList<StoredFile>> TakeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
