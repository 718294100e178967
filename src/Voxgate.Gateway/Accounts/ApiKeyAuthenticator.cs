using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Voxgate.Gateway.Accounts;

public enum AuthenticationFailure
{
    Missing,
    Malformed,
    Unknown,
    Revoked,
}

/// <summary>
/// Turns an <c>Authorization</c> header into a <see cref="Caller"/>. Every request reads the store, so a revoked key
/// stops working at once, also when the CLI revoked it from another process.
/// </summary>
public sealed class ApiKeyAuthenticator(IAccountStore store, IOptions<AuthOptions> auth, IOptions<RateLimitOptions> limits)
{
    private readonly byte[]? _adminKeyHash = string.IsNullOrEmpty(auth.Value.AdminKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(auth.Value.AdminKey));

    public bool AuthenticationRequired => auth.Value.Required;

    /// <summary>
    /// The caller of an endpoint that needs <paramref name="scope"/>. With authentication off, the speech endpoints
    /// ignore whatever key is sent: every SDK sends one (a placeholder, an old key), and checking it would refuse the
    /// callers that mode exists for, so each is the anonymous caller, as without a key. Admin endpoints always check it.
    /// </summary>
    public Task<(Caller? Caller, AuthenticationFailure Failure)> AuthenticateForAsync(string? authorizationHeader, KeyScopes scope, CancellationToken cancellationToken = default) =>
        !auth.Value.Required && scope == KeyScopes.Speech
            ? Task.FromResult<(Caller?, AuthenticationFailure)>((Caller.Anonymous, default))
            : AuthenticateAsync(authorizationHeader, cancellationToken);

    /// <returns>The caller, or why there is none.</returns>
    public async Task<(Caller? Caller, AuthenticationFailure Failure)> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken = default)
    {
        string? token = BearerToken(authorizationHeader);
        if (token is null)
        {
            return string.IsNullOrEmpty(authorizationHeader) && !auth.Value.Required
                ? (Caller.Anonymous, default)
                : (null, string.IsNullOrEmpty(authorizationHeader) ? AuthenticationFailure.Missing : AuthenticationFailure.Malformed);
        }
        if (_adminKeyHash is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _adminKeyHash))
        {
            return (Caller.Administrator, default);
        }
        if (!ApiKeyFormat.IsWellFormed(token))
        {
            return (null, AuthenticationFailure.Malformed);
        }
        ApiKeyRecord? key = null;
        Account? account = null;
        foreach ((ApiKeyRecord candidate, Account owner) in await store.FindKeysByPrefixAsync(ApiKeyFormat.Prefix(token), cancellationToken))
        {
            if (ApiKeyFormat.Matches(token, candidate.Hash))
            {
                (key, account) = (candidate, owner);
            }
        }
        if (key is null || account is null)
        {
            return (null, AuthenticationFailure.Unknown);
        }
        if (key.IsRevoked)
        {
            return (null, AuthenticationFailure.Revoked);
        }
        return (CallerFor(key, account), default);
    }

    /// <summary>The caller a live key makes: its account, scopes and limits (the key's, else the account's, else the server's).</summary>
    public Caller CallerFor(ApiKeyRecord key, Account account) =>
        new(CallerKind.Key, account.Id, account.Name, key.Id, key.Prefix, key.Scopes,
            key.RequestsPerMinute ?? account.RequestsPerMinute ?? limits.Value.DefaultRequestsPerMinute,
            key.CharactersPerMinute ?? account.CharactersPerMinute ?? limits.Value.DefaultCharactersPerMinute)
        {
            ConcurrentRequests = account.ConcurrentRequests ?? limits.Value.DefaultConcurrentRequests,
        };

    /// <summary>
    /// True while <paramref name="keyHash"/> (<see cref="ApiKeyFormat.Hash"/>) is the configured bootstrap admin key's:
    /// a console session opened with it ends when the operator changes or removes the key.
    /// </summary>
    public bool IsAdminKeyHash(byte[] keyHash) => _adminKeyHash is not null && CryptographicOperations.FixedTimeEquals(keyHash, _adminKeyHash);

    public static string Describe(AuthenticationFailure failure) => failure switch
    {
        AuthenticationFailure.Missing => "No API key was sent. Send it as 'Authorization: Bearer sk-vg-...'.",
        AuthenticationFailure.Malformed => "The API key is malformed. Send it as 'Authorization: Bearer sk-vg-...'.",
        AuthenticationFailure.Revoked => "This API key has been revoked.",
        _ => "Incorrect API key provided.",
    };

    private static string? BearerToken(string? header)
    {
        const string Scheme = "Bearer ";
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string token = header[Scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
