using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Sessions;
using Voxgate.Gateway.Storage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

/// <summary>
/// Console sessions on each provider, with a clock the test moves: the idle timeout slides with use, the hard cap
/// does not, revocation and sign-out end a session, a second node sees the same sessions, only the token's hash is stored.
/// </summary>
public abstract class SessionTests(StoreProvider provider) : StoreTests(provider)
{
    private const string AdminKey = "session-admin-key-0123456789";
    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));

    private SessionService Sessions(string? adminKey = AdminKey) => new(new SqlSessionStore(Db.Database), Db.Accounts,
        new ApiKeyAuthenticator(Db.Accounts, Options.Create(new AuthOptions { AdminKey = adminKey }), Options.Create(new RateLimitOptions())), _clock);

    private async Task<string> NewKeyAsync(string account = "acme")
    {
        var accounts = new AccountService(Db.Accounts, _clock);
        await accounts.CreateAccountAsync(account);
        return (await accounts.CreateKeyAsync(account, null, KeyScopes.Speech)).Key;
    }

    [Fact]
    public async Task UseSlidesTheIdleTimeoutButNotTheHardCap()
    {
        string key = await NewKeyAsync();
        SessionService sessions = Sessions();
        (string? token, Caller? signedIn, _) = await sessions.SignInAsync(key);
        Assert.NotNull(token);
        Assert.Equal("acme", signedIn!.AccountName);

        // Used every 20 minutes: alive well past one idle timeout, until the cap.
        TimeSpan step = TimeSpan.FromMinutes(20);
        TimeSpan elapsed = TimeSpan.Zero;
        while (elapsed + step < SessionService.MaxLifetime)
        {
            _clock.Advance(step);
            elapsed += step;
            Assert.NotNull(await sessions.ResumeAsync(token));
        }
        _clock.Advance(SessionService.MaxLifetime - elapsed);
        Assert.Null(await sessions.ResumeAsync(token));
        Assert.Null(await sessions.ResumeAsync(token)); // deleted, not only refused
    }

    [Fact]
    public async Task ASessionLeftIdleEnds()
    {
        SessionService sessions = Sessions();
        (string? token, _, _) = await sessions.SignInAsync(await NewKeyAsync());
        _clock.Advance(SessionService.IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.NotNull(await sessions.ResumeAsync(token));
        _clock.Advance(SessionService.IdleTimeout);
        Assert.Null(await sessions.ResumeAsync(token));
    }

    [Fact]
    public async Task RevokingTheKeyEndsItsSessionsOnEveryNode()
    {
        string key = await NewKeyAsync();
        SessionService nodeA = Sessions();
        SessionService nodeB = new(new SqlSessionStore(Db.AsNode("node-b").Database), Db.Accounts,
            new ApiKeyAuthenticator(Db.Accounts, Options.Create(new AuthOptions()), Options.Create(new RateLimitOptions())), _clock);
        (string? token, _, _) = await nodeA.SignInAsync(key);
        Assert.Equal("acme", (await nodeB.ResumeAsync(token))?.AccountName);

        await new AccountService(Db.Accounts, _clock).RevokeKeyAsync(key[..12]);
        Assert.Null(await nodeB.ResumeAsync(token));
        Assert.Null(await nodeA.ResumeAsync(token));
        (string? again, _, AuthenticationFailure failure) = await nodeA.SignInAsync(key);
        Assert.Null(again);
        Assert.Equal(AuthenticationFailure.Revoked, failure);
    }

    [Fact]
    public async Task SignOutAndForgedTokensLetNobodyIn()
    {
        SessionService sessions = Sessions();
        (string? token, _, _) = await sessions.SignInAsync(await NewKeyAsync());
        Assert.Null(await sessions.ResumeAsync(token![..^2] + (token[^2] == 'A' ? "BA" : "AA")));
        Assert.Null(await sessions.ResumeAsync("not base64 at all!"));
        Assert.Null(await sessions.ResumeAsync(""));
        Assert.Null(await sessions.ResumeAsync(new string('A', 5000)));
        await sessions.SignOutAsync(token);
        Assert.Null(await sessions.ResumeAsync(token));
    }

    [Fact]
    public async Task OnlyTheTokensHashIsStored()
    {
        SessionService sessions = Sessions();
        (string? token, _, _) = await sessions.SignInAsync(await NewKeyAsync());
        byte[] raw = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        await using System.Data.Common.DbConnection connection = await Db.Database.OpenAsync(CancellationToken.None);
        await using System.Data.Common.DbCommand read = connection.CreateCommand();
        read.CommandText = "SELECT token_hash FROM console_sessions";
        byte[] stored = (byte[])(await read.ExecuteScalarAsync())!;
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(raw), stored);
    }

    [Fact]
    public async Task TheBootstrapAdminKeysSessionEndsWhenTheKeyChanges()
    {
        (string? token, Caller? caller, _) = await Sessions().SignInAsync(AdminKey);
        Assert.Equal(CallerKind.AdminKey, caller!.Kind);
        Assert.Equal(CallerKind.AdminKey, (await Sessions().ResumeAsync(token))!.Kind);
        Assert.Null(await Sessions("another-admin-key-0123456789").ResumeAsync(token));
    }

    [Fact]
    public async Task SignInRefusesWhatAnApiRequestWouldRefuse()
    {
        SessionService sessions = Sessions();
        Assert.Equal(AuthenticationFailure.Missing, (await sessions.SignInAsync("  ")).Failure);
        Assert.Equal(AuthenticationFailure.Malformed, (await sessions.SignInAsync("sk-vg-short")).Failure);
        Assert.Equal(AuthenticationFailure.Unknown, (await sessions.SignInAsync(ApiKeyFormat.Generate())).Failure);
    }
}
