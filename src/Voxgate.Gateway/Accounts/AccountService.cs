using System.Text.RegularExpressions;

namespace Voxgate.Gateway.Accounts;

/// <summary>Creating accounts and keys, listing and revoking keys: what the admin API and the CLI share.</summary>
public sealed partial class AccountService(IAccountStore store, TimeProvider time)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex AccountName();

    public Task<Account> CreateAccountAsync(string name, int? requestsPerMinute = null, int? charactersPerMinute = null, int? concurrentRequests = null,
        CancellationToken cancellationToken = default)
    {
        if (!AccountName().IsMatch(name))
        {
            throw new GatewayInputException("name", "An account name is 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit.");
        }
        CheckLimits(requestsPerMinute, charactersPerMinute);
        if (concurrentRequests is < 1 or > 10_000)
        {
            throw new GatewayInputException("concurrent_requests", "Concurrent requests are between 1 and 10000.");
        }
        return store.CreateAccountAsync(name, requestsPerMinute, charactersPerMinute, concurrentRequests, time.GetUtcNow(), cancellationToken);
    }

    public Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default) => store.ListAccountsAsync(cancellationToken);

    public async Task<Account> GetAccountAsync(string name, CancellationToken cancellationToken = default) =>
        await store.FindAccountAsync(name, cancellationToken) ?? throw new NotFoundException($"There is no account named '{name}'.");

    /// <summary>Creates a key; the returned plain key is shown once and never stored.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateKeyAsync(string accountName, string? keyName, KeyScopes scopes,
        int? requestsPerMinute = null, int? charactersPerMinute = null, CancellationToken cancellationToken = default)
    {
        if (scopes == KeyScopes.None)
        {
            throw new GatewayInputException("scopes", "A key needs at least one scope (speech, admin).");
        }
        CheckLimits(requestsPerMinute, charactersPerMinute);
        Account account = await GetAccountAsync(accountName, cancellationToken);
        string key = ApiKeyFormat.Generate();
        ApiKeyRecord record = await store.AddKeyAsync(account.Id, keyName, ApiKeyFormat.Prefix(key), ApiKeyFormat.Hash(key), scopes,
            requestsPerMinute, charactersPerMinute, time.GetUtcNow(), cancellationToken);
        return (record, key);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string accountName, CancellationToken cancellationToken = default) =>
        await store.ListKeysAsync((await GetAccountAsync(accountName, cancellationToken)).Id, cancellationToken);

    /// <param name="accountName">Restricts the revocation to this account's keys when given.</param>
    public async Task RevokeKeyAsync(string prefix, string? accountName = null, CancellationToken cancellationToken = default)
    {
        long? accountId = accountName is null ? null : (await GetAccountAsync(accountName, cancellationToken)).Id;
        if (!await store.RevokeKeyAsync(accountId, prefix, time.GetUtcNow(), cancellationToken))
        {
            throw new NotFoundException($"There is no live key with prefix '{prefix}'{(accountName is null ? "" : $" for account '{accountName}'")}.");
        }
    }

    private static void CheckLimits(int? requestsPerMinute, int? charactersPerMinute)
    {
        if (requestsPerMinute is <= 0 || charactersPerMinute is <= 0)
        {
            throw new GatewayInputException(requestsPerMinute is <= 0 ? "requests_per_minute" : "characters_per_minute",
                "Rate limits must be positive numbers per minute.");
        }
    }
}
