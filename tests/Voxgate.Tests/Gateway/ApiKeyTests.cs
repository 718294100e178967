using System.Globalization;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Storage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

public abstract class ApiKeyTests(StoreProvider provider) : StoreTests(provider)
{
    private ApiKeyAuthenticator Authenticator(string mode = "on", string? adminKey = null) =>
        new(Db.Accounts, Options.Create(new AuthOptions { Mode = mode, AdminKey = adminKey }), Options.Create(new RateLimitOptions()));

    [Fact]
    public async Task KeysAreRandomBase62WithTheMarker()
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
    public async Task MalformedKeysAreRecognised(string key) => Assert.False(ApiKeyFormat.IsWellFormed(key));

    [Fact]
    public async Task OnlyTheHashAndPrefixAreStored()
    {
        var service = new AccountService(Db.Accounts, TimeProvider.System);
        await service.CreateAccountAsync("acme");
        (ApiKeyRecord record, string key) = await service.CreateKeyAsync("acme", "ci", KeyScopes.Speech, 10, 1000);
        Assert.Equal(key[..12], record.Prefix);
        Assert.Equal(32, record.Hash.Length);
        // Every column of every key row, as the database holds them: the key's secret part is nowhere.
        await using System.Data.Common.DbConnection connection = await Db.Database.OpenAsync(CancellationToken.None);
        await using System.Data.Common.DbCommand read = connection.CreateCommand();
        read.CommandText = "SELECT id, account_id, name, prefix, hash, scopes, created_at FROM api_keys";
        await using System.Data.Common.DbDataReader rows = await read.ExecuteReaderAsync();
        var stored = new List<byte>();
        while (await rows.ReadAsync())
        {
            for (int i = 0; i < rows.FieldCount; i++)
            {
                stored.AddRange(rows.GetValue(i) is byte[] bytes ? bytes : System.Text.Encoding.UTF8.GetBytes(Convert.ToString(rows.GetValue(i), CultureInfo.InvariantCulture) ?? ""));
            }
        }
        Assert.Equal(-1, stored.ToArray().AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key[12..])));
        if (Db.Database is SqliteDatabase sqlite)
        {
            // And not in the file either, nor its write-ahead log.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            byte[] file = [.. File.ReadAllBytes(sqlite.Path), .. ReadIfExists(sqlite.Path + "-wal")];
            Assert.Equal(-1, file.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key)));
            Assert.Equal(-1, file.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key[12..])));
        }
    }

    [Fact]
    public async Task AuthenticationTellsEachFailureApartAndAppliesLimits()
    {
        var service = new AccountService(Db.Accounts, TimeProvider.System);
        await service.CreateAccountAsync("acme", requestsPerMinute: 7, charactersPerMinute: null);
        (_, string key) = await service.CreateKeyAsync("acme", null, KeyScopes.Speech, null, 900);
        ApiKeyAuthenticator auth = Authenticator();

        (Caller? caller, _) = await auth.AuthenticateAsync($"Bearer {key}");
        Assert.NotNull(caller);
        Assert.Equal(("acme", 7, 900), (caller.AccountName, caller.RequestsPerMinute, caller.CharactersPerMinute));
        Assert.True(caller.Can(KeyScopes.Speech));
        Assert.False(caller.Can(KeyScopes.Admin));

        Assert.Equal(AuthenticationFailure.Missing, (await auth.AuthenticateAsync(null)).Failure);
        Assert.Equal(AuthenticationFailure.Malformed, (await auth.AuthenticateAsync("Basic abc")).Failure);
        Assert.Equal(AuthenticationFailure.Malformed, (await auth.AuthenticateAsync("Bearer nope")).Failure);
        Assert.Equal(AuthenticationFailure.Unknown, (await auth.AuthenticateAsync($"Bearer {ApiKeyFormat.Generate()}")).Failure);
        Assert.Equal(AuthenticationFailure.Unknown, (await auth.AuthenticateAsync($"Bearer {key[..^1]}{(key[^1] == 'a' ? 'b' : 'a')}")).Failure);

        await service.RevokeKeyAsync(key[..12]);
        Assert.Equal(AuthenticationFailure.Revoked, (await auth.AuthenticateAsync($"Bearer {key}")).Failure);
        await Assert.ThrowsAsync<NotFoundException>(() => service.RevokeKeyAsync(key[..12]));
    }

    [Fact]
    public async Task TheBootstrapAdminKeyIsAnAdminWithoutAnAccount()
    {
        (Caller? admin, _) = await Authenticator(adminKey: "bootstrap-admin-key-000").AuthenticateAsync("Bearer bootstrap-admin-key-000");
        Assert.Equal(CallerKind.AdminKey, admin!.Kind);
        Assert.True(admin.Can(KeyScopes.Admin));
        Assert.False(admin.Can(KeyScopes.Speech));
        Assert.Null(admin.AccountId);
        Assert.Equal(AuthenticationFailure.Malformed, (await Authenticator(adminKey: "bootstrap-admin-key-000").AuthenticateAsync("Bearer bootstrap-admin-key-001")).Failure);
    }

    [Fact]
    public async Task WithAuthenticationOffSpeechIgnoresTheKeyButAdminStillChecksIt()
    {
        ApiKeyAuthenticator auth = Authenticator(mode: "off");
        Assert.Equal(CallerKind.Anonymous, (await auth.AuthenticateForAsync(null, KeyScopes.Speech)).Caller!.Kind);
        Assert.Equal(CallerKind.Anonymous, (await auth.AuthenticateForAsync($"Bearer {ApiKeyFormat.Generate()}", KeyScopes.Speech)).Caller!.Kind);
        Assert.Equal(CallerKind.Anonymous, (await auth.AuthenticateForAsync("Bearer sk-dummy", KeyScopes.Speech)).Caller!.Kind);
        Assert.Equal(AuthenticationFailure.Unknown, (await auth.AuthenticateForAsync($"Bearer {ApiKeyFormat.Generate()}", KeyScopes.Admin)).Failure);
        Assert.Equal(AuthenticationFailure.Missing, (await Authenticator().AuthenticateForAsync("", KeyScopes.Speech)).Failure);
        Assert.Equal(AuthenticationFailure.Malformed, (await Authenticator().AuthenticateForAsync("Bearer sk-dummy", KeyScopes.Speech)).Failure);
    }

    [Fact]
    public async Task AccountNamesAndScopesAreChecked()
    {
        var service = new AccountService(Db.Accounts, TimeProvider.System);
        Assert.Equal("name", (await Assert.ThrowsAsync<GatewayInputException>(() => service.CreateAccountAsync("bad name"))).Parameter);
        Assert.Equal("requests_per_minute", (await Assert.ThrowsAsync<GatewayInputException>(() => service.CreateAccountAsync("ok", requestsPerMinute: 0))).Parameter);
        await service.CreateAccountAsync("ok");
        await Assert.ThrowsAsync<ConflictException>(() => service.CreateAccountAsync("ok"));
        await Assert.ThrowsAsync<NotFoundException>(() => service.CreateKeyAsync("missing", null, KeyScopes.Speech));
        Assert.Equal("scopes", Assert.Throws<GatewayInputException>(() => KeyScopeNames.Parse(["speech", "root"])).Parameter);
        Assert.Equal(KeyScopes.Speech | KeyScopes.Admin, KeyScopeNames.Parse(["Speech", " admin"]));
    }

    private static byte[] ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : [];
}
