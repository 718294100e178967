using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

public sealed class ApiKeyTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private ApiKeyAuthenticator Authenticator(string mode = "on", string? adminKey = null) =>
        new(_db.Accounts, Options.Create(new AuthOptions { Mode = mode, AdminKey = adminKey }), Options.Create(new RateLimitOptions()));

    [Fact]
    public void KeysAreRandomBase62WithTheMarker()
    {
        string[] keys = [.. Enumerable.Range(0, 200).Select(_ => ApiKeyFormat.Generate())];
        Assert.All(keys, k => Assert.Matches("^sk-vg-[0-9A-Za-z]{43}$", k));
        Assert.All(keys, k => Assert.True(ApiKeyFormat.IsWellFormed(k)));
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(keys.Length, keys.Select(ApiKeyFormat.Prefix).Distinct().Count());
    }

    [Theory]
    [InlineData("sk-vg-short")]
    [InlineData("sk-xx-0123456789012345678901234567890123456789012")]
    [InlineData("sk-vg-01234567890123456789012345678901234567890-2")]
    public void MalformedKeysAreRecognised(string key) => Assert.False(ApiKeyFormat.IsWellFormed(key));

    [Fact]
    public void OnlyTheHashAndPrefixAreStored()
    {
        var service = new AccountService(_db.Accounts, TimeProvider.System);
        service.CreateAccount("acme");
        (ApiKeyRecord record, string key) = service.CreateKey("acme", "ci", KeyScopes.Speech, 10, 1000);
        Assert.Equal(key[..12], record.Prefix);
        Assert.Equal(32, record.Hash.Length);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        byte[] file = [.. File.ReadAllBytes(_db.Database.Path), .. ReadIfExists(_db.Database.Path + "-wal")];
        Assert.Equal(-1, file.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key)));
        Assert.Equal(-1, file.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key[12..])));
    }

    [Fact]
    public void AuthenticationTellsEachFailureApartAndAppliesLimits()
    {
        var service = new AccountService(_db.Accounts, TimeProvider.System);
        service.CreateAccount("acme", requestsPerMinute: 7, charactersPerMinute: null);
        (_, string key) = service.CreateKey("acme", null, KeyScopes.Speech, null, 900);
        ApiKeyAuthenticator auth = Authenticator();

        (Caller? caller, _) = auth.Authenticate($"Bearer {key}");
        Assert.NotNull(caller);
        Assert.Equal(("acme", 7, 900), (caller.AccountName, caller.RequestsPerMinute, caller.CharactersPerMinute));
        Assert.True(caller.Can(KeyScopes.Speech));
        Assert.False(caller.Can(KeyScopes.Admin));

        Assert.Equal(AuthenticationFailure.Missing, auth.Authenticate(null).Failure);
        Assert.Equal(AuthenticationFailure.Malformed, auth.Authenticate("Basic abc").Failure);
        Assert.Equal(AuthenticationFailure.Malformed, auth.Authenticate("Bearer nope").Failure);
        Assert.Equal(AuthenticationFailure.Unknown, auth.Authenticate($"Bearer {ApiKeyFormat.Generate()}").Failure);
        Assert.Equal(AuthenticationFailure.Unknown, auth.Authenticate($"Bearer {key[..^1]}{(key[^1] == 'a' ? 'b' : 'a')}").Failure);

        service.RevokeKey(key[..12]);
        Assert.Equal(AuthenticationFailure.Revoked, auth.Authenticate($"Bearer {key}").Failure);
        Assert.Throws<NotFoundException>(() => service.RevokeKey(key[..12]));
    }

    [Fact]
    public void TheBootstrapAdminKeyIsAnAdminWithoutAnAccount()
    {
        (Caller? admin, _) = Authenticator(adminKey: "bootstrap-admin-key-000").Authenticate("Bearer bootstrap-admin-key-000");
        Assert.Equal(CallerKind.AdminKey, admin!.Kind);
        Assert.True(admin.Can(KeyScopes.Admin));
        Assert.False(admin.Can(KeyScopes.Speech));
        Assert.Null(admin.AccountId);
        Assert.Equal(AuthenticationFailure.Malformed, Authenticator(adminKey: "bootstrap-admin-key-000").Authenticate("Bearer bootstrap-admin-key-001").Failure);
    }

    [Fact]
    public void WithAuthenticationOffNoKeyMeansAnonymousButABadKeyIsStillRefused()
    {
        ApiKeyAuthenticator auth = Authenticator(mode: "off");
        Assert.Equal(CallerKind.Anonymous, auth.Authenticate(null).Caller!.Kind);
        Assert.Equal(AuthenticationFailure.Unknown, auth.Authenticate($"Bearer {ApiKeyFormat.Generate()}").Failure);
        Assert.Equal(AuthenticationFailure.Missing, Authenticator().Authenticate("").Failure);
    }

    [Fact]
    public void AccountNamesAndScopesAreChecked()
    {
        var service = new AccountService(_db.Accounts, TimeProvider.System);
        Assert.Equal("name", Assert.Throws<GatewayInputException>(() => service.CreateAccount("bad name")).Parameter);
        Assert.Equal("requests_per_minute", Assert.Throws<GatewayInputException>(() => service.CreateAccount("ok", requestsPerMinute: 0)).Parameter);
        service.CreateAccount("ok");
        Assert.Throws<ConflictException>(() => service.CreateAccount("ok"));
        Assert.Throws<NotFoundException>(() => service.CreateKey("missing", null, KeyScopes.Speech));
        Assert.Equal("scopes", Assert.Throws<GatewayInputException>(() => KeyScopeNames.Parse(["speech", "root"])).Parameter);
        Assert.Equal(KeyScopes.Speech | KeyScopes.Admin, KeyScopeNames.Parse(["Speech", " admin"]));
    }

    private static byte[] ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : [];
}
