namespace Voxgate.Gateway.Accounts;

public enum CallerKind
{
    /// <summary>An API key stored for an account.</summary>
    Key,

    /// <summary>The <c>VOXGATE_ADMIN_KEY</c> bootstrap key: admin scope, no account.</summary>
    AdminKey,

    /// <summary>No key, with authentication turned off.</summary>
    Anonymous,
}

/// <summary>Who is calling, what they may do, and the limits that apply to them.</summary>
public sealed record Caller(
    CallerKind Kind,
    long? AccountId,
    string? AccountName,
    long? KeyId,
    string? KeyPrefix,
    KeyScopes Scopes,
    int RequestsPerMinute,
    int CharactersPerMinute)
{
    /// <summary>Requests of the caller's account in flight at once (<see cref="int.MaxValue"/>: no limit).</summary>
    public int ConcurrentRequests { get; init; } = int.MaxValue;

    public bool Can(KeyScopes scope) => (Scopes & scope) == scope;

    /// <summary>Whose rate-limit buckets a request draws on.</summary>
    public string RateLimitIdentity => KeyId is long id ? $"key:{id}" : Kind.ToString();

    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, null, null, null, null, KeyScopes.Speech, int.MaxValue, int.MaxValue);

    public static Caller Administrator { get; } = new(CallerKind.AdminKey, null, null, null, null, KeyScopes.Admin, int.MaxValue, int.MaxValue);
}
