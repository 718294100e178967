using System.Buffers.Text;
using System.Security.Cryptography;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Gateway.Sessions;

/// <summary>
/// The web console's sessions: an API key is exchanged for a random token (the browser's cookie), and each request
/// with the token is let in as the key's <see cref="Caller"/> while the key is live, the session has been used within
/// <see cref="IdleTimeout"/> and is younger than <see cref="MaxLifetime"/>. The key is read again on every request
/// (the same read an API request makes), so revoking it ends its sessions at the next request, on any node.
/// </summary>
public sealed class SessionService(ISessionStore store, IAccountStore accounts, ApiKeyAuthenticator authenticator, TimeProvider time)
{
    /// <summary>A session unused this long ends (sliding expiry).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in however busy it is (the hard cap).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    /// <summary>Activity is written at most this often, so a page with several requests writes once.</summary>
    private static readonly TimeSpan TouchGranularity = TimeSpan.FromMinutes(1);

    private const int TokenBytes = 32;

    /// <summary>Checks <paramref name="apiKey"/> as an API request's key is checked and opens a session for it.</summary>
    /// <returns>The token for the cookie and the caller, or why there is none (the key itself is never kept).</returns>
    public async Task<(string? Token, Caller? Caller, AuthenticationFailure Failure)> SignInAsync(string apiKey, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return (null, null, AuthenticationFailure.Missing);
        }
        (Caller? caller, AuthenticationFailure failure) = await authenticator.AuthenticateAsync("Bearer " + apiKey.Trim(), cancellationToken);
        if (caller is null || caller.Kind == CallerKind.Anonymous)
        {
            // With authentication off a blank key is the anonymous caller; the console still signs in only with a key.
            return (null, null, caller is null ? failure : AuthenticationFailure.Missing);
        }
        byte[] tokenBytes = RandomNumberGenerator.GetBytes(TokenBytes);
        string token = Base64Url.EncodeToString(tokenBytes);
        DateTimeOffset now = time.GetUtcNow();
        byte[]? adminKeyHash = caller.Kind == CallerKind.AdminKey ? ApiKeyFormat.Hash(apiKey.Trim()) : null;
        // Sessions nobody came back to are deleted here, at the moment one more is made: no timer on any node.
        await SweepAsync(cancellationToken);
        await store.AddAsync(SHA256.HashData(tokenBytes), caller.AccountId, caller.KeyId, adminKeyHash, now, now + MaxLifetime, cancellationToken);
        return (token, caller, default);
    }

    /// <summary>The caller of a live session, or null (an unknown, expired or idle session, or a revoked key, which ends it).</summary>
    public async Task<Caller?> ResumeAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (TokenHash(token) is not byte[] hash || await store.FindAsync(hash, cancellationToken) is not SessionRecord session)
        {
            return null;
        }
        DateTimeOffset now = time.GetUtcNow();
        Caller? caller = now >= session.ExpiresAt || now - session.LastSeenAt >= IdleTimeout ? null : await CallerOfAsync(session, cancellationToken);
        if (caller is null)
        {
            await store.DeleteAsync(session.Id, cancellationToken);
            return null;
        }
        if (now - session.LastSeenAt >= TouchGranularity)
        {
            await store.TouchAsync(session.Id, now, cancellationToken);
        }
        return caller;
    }

    public async Task SignOutAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (TokenHash(token) is byte[] hash && await store.FindAsync(hash, cancellationToken) is SessionRecord session)
        {
            await store.DeleteAsync(session.Id, cancellationToken);
        }
    }

    /// <summary>Deletes every session past its cap or idle too long (the ones nobody comes back to).</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        return store.DeleteExpiredAsync(now, now - IdleTimeout, cancellationToken);
    }

    private async Task<Caller?> CallerOfAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        if (session.ApiKeyId is long keyId)
        {
            return await accounts.FindKeyAsync(keyId, cancellationToken) is ({ IsRevoked: false } key, Account account) && account.Id == session.AccountId
                ? authenticator.CallerFor(key, account)
                : null;
        }
        return session.AdminKeyHash is byte[] adminKeyHash && authenticator.IsAdminKeyHash(adminKeyHash) ? Caller.Administrator : null;
    }

    private static byte[]? TokenHash(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return null;
        }
        // A cookie is whatever the browser (or a forger) sends: anything not exactly a token is no session, never an error.
        if (!Base64Url.IsValid(token, out int length) || length != TokenBytes)
        {
            return null;
        }
        Span<byte> bytes = stackalloc byte[TokenBytes];
        return Base64Url.TryDecodeFromChars(token, bytes, out int written) && written == TokenBytes ? SHA256.HashData(bytes) : null;
    }
}
