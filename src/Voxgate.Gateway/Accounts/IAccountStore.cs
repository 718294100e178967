namespace Voxgate.Gateway.Accounts;

/// <summary>
/// Accounts and their API keys. Every method is one statement or one transaction: an account name is unique (a second
/// create is a <see cref="ConflictException"/>, whichever node makes it), and a revocation is seen by the next
/// request on any node, which reads the key again.
/// </summary>
public interface IAccountStore
{
    /// <exception cref="ConflictException">The name is taken.</exception>
    Task<Account> CreateAccountAsync(string name, int? requestsPerMinute, int? charactersPerMinute, int? concurrentRequests, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    Task<Account?> FindAccountAsync(long id, CancellationToken cancellationToken = default);

    Task<Account?> FindAccountAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default);

    Task<ApiKeyRecord> AddKeyAsync(long accountId, string? name, string prefix, byte[] hash, KeyScopes scopes,
        int? requestsPerMinute, int? charactersPerMinute, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keys whose prefix matches, each with its account (revoked ones included, so a revoked key is told apart from an
    /// unknown one), in one query: it runs on every request.
    /// </summary>
    Task<IReadOnlyList<(ApiKeyRecord Key, Account Account)>> FindKeysByPrefixAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>The key with this id and its account (revoked or not), in one query: a console session reads it on every request.</summary>
    Task<(ApiKeyRecord Key, Account Account)?> FindKeyAsync(long keyId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Revokes the live key with this prefix (within one account when given); false when there is none.</summary>
    Task<bool> RevokeKeyAsync(long? accountId, string prefix, DateTimeOffset now, CancellationToken cancellationToken = default);
}
