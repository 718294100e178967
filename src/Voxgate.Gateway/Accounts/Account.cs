namespace Voxgate.Gateway.Accounts;

/// <summary>A customer: owns keys, a wallet and usage.</summary>
/// <param name="RequestsPerMinute">Default for the account's keys; null means the server default.</param>
/// <param name="CharactersPerMinute">Default for the account's keys; null means the server default.</param>
/// <param name="ConcurrentRequests">Requests of the account's keys in flight at once; null means the server default.</param>
public sealed record Account(long Id, string Name, int? RequestsPerMinute, int? CharactersPerMinute, long BalanceMicros, DateTimeOffset CreatedAt,
    int? ConcurrentRequests = null);

/// <summary>What a key may do.</summary>
[Flags]
public enum KeyScopes
{
    None = 0,
    Speech = 1,
    Admin = 2,
}

/// <summary>How scopes are written: lower-case words, space-separated in storage, listed in the API.</summary>
public static class KeyScopeNames
{
    private static readonly (KeyScopes Scope, string Name)[] s_names = [(KeyScopes.Speech, "speech"), (KeyScopes.Admin, "admin")];

    public static IEnumerable<string> Names(KeyScopes scopes) => s_names.Where(s => scopes.HasFlag(s.Scope)).Select(s => s.Name);

    public static string Format(KeyScopes scopes) => string.Join(' ', Names(scopes));

    /// <exception cref="GatewayInputException">An unknown scope name.</exception>
    public static KeyScopes Parse(IEnumerable<string> names) => names.Aggregate(KeyScopes.None, (scopes, name) =>
        scopes | (s_names.FirstOrDefault(s => s.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) is { Name: not null } match
            ? match.Scope
            : throw new GatewayInputException("scopes", $"Unknown scope '{name}'; scopes are {string.Join(" and ", s_names.Select(s => s.Name))}.")));
}

/// <summary>A stored API key: its hash and look-up prefix, never the key itself.</summary>
public sealed record ApiKeyRecord(
    long Id,
    long AccountId,
    string? Name,
    string Prefix,
    byte[] Hash,
    KeyScopes Scopes,
    int? RequestsPerMinute,
    int? CharactersPerMinute,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>A value the caller gave that the gateway cannot accept, naming the field.</summary>
public sealed class GatewayInputException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>A name that is already taken, or another request that conflicts with what exists.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>An account, key or other record that does not exist (or is not the caller's).</summary>
public sealed class NotFoundException(string message) : Exception(message);
