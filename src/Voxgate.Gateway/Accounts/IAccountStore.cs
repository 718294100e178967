namespace Voxgate.Gateway.Accounts;

/// <summary>Accounts and their API keys. Implementations: SQLite today; PostgreSQL can follow without touching callers.</summary>
public interface IAccountStore
{
    /// <exception cref="ConflictException">The name is taken.</exception>
    Account CreateAccount(string name, int? requestsPerMinute, int? charactersPerMinute, int? concurrentRequests, DateTimeOffset now);

    Account? FindAccount(long id);

    Account? FindAccount(string name);

    IReadOnlyList<Account> ListAccounts();

    ApiKeyRecord AddKey(long accountId, string? name, string prefix, byte[] hash, KeyScopes scopes,
        int? requestsPerMinute, int? charactersPerMinute, DateTimeOffset now);

    /// <summary>Keys whose prefix matches (revoked ones included, so a revoked key is told apart from an unknown one).</summary>
    IReadOnlyList<ApiKeyRecord> FindKeysByPrefix(string prefix);

    IReadOnlyList<ApiKeyRecord> ListKeys(long accountId);

    /// <summary>Revokes the live key with this prefix (within one account when given); false when there is none.</summary>
    bool RevokeKey(long? accountId, string prefix, DateTimeOffset now);
}
