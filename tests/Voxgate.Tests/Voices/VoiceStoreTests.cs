using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Voices;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Voices;

/// <summary>The voice store and the service over it, on SQLite and on PostgreSQL, with a clock the test moves.</summary>
public abstract class VoiceStoreTests(StoreProvider provider) : StoreTests(provider)
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private SqlVoiceStore? _store;
    private VoiceService? _service;

    private SqlVoiceStore Store => _store ??= new SqlVoiceStore(Db.Database);

    private VoiceService Service => _service ??= new VoiceService(Store,
        new FileService(Db.Files, new UrlSigner(new MasterKey(Options.Create(new ProviderKeyOptions()), Db.Options), _clock), Db.Options,
            Options.Create(new FileStoreOptions()), Db.Node, _clock),
        SpeechServices.Get<SpeechEngineRegistry>(), SpeechServices.Get<ModelCatalog>(), Options.Create(new VoiceOptions { MaxVoicesPerAccount = 3 }),
        _clock, NullLogger<VoiceService>.Instance);

    private CustomVoice Designed(long account, string id) =>
        new(account, id, VoiceKind.Designed, id, _clock.GetUtcNow(), _clock.GetUtcNow(), BaseVoice: "flite:slt", Controls: new VoiceControls(-3, 0.9, -40, 0));

    [Fact]
    public async Task AnIdIsTheAccountsOwnAndNeverReusedOnceDeleted()
    {
        Account owner = await Db.NewAccountAsync("owner"), other = await Db.NewAccountAsync("other");
        Assert.Equal(AddVoiceResult.Added, await Store.TryAddAsync(Designed(owner.Id, "Narrator01"), 20));
        Assert.Equal(AddVoiceResult.Duplicate, await Store.TryAddAsync(Designed(owner.Id, "Narrator01"), 20));
        // The same id in another account is another voice; neither sees the other's.
        Assert.Equal(AddVoiceResult.Added, await Store.TryAddAsync(Designed(other.Id, "Narrator01") with { BaseVoice = "flite:kal16" }, 20));
        Assert.Equal("flite:slt", (await Store.FindAsync(owner.Id, "Narrator01"))!.BaseVoice);
        Assert.Null(await Store.DeleteAsync(owner.Id, "nobody-here", _clock.GetUtcNow()));

        CustomVoice deleted = (await Store.DeleteAsync(owner.Id, "Narrator01", _clock.GetUtcNow()))!;
        Assert.Equal(new VoiceControls(-3, 0.9, -40, 0), deleted.Controls! with { Blend = null });
        Assert.Null(await Store.FindAsync(owner.Id, "Narrator01"));
        Assert.Empty(await Store.ListAsync(owner.Id));
        Assert.Equal(AddVoiceResult.Duplicate, await Store.TryAddAsync(Designed(owner.Id, "Narrator01"), 20));
        Assert.Single(await Store.ListAsync(other.Id));
    }

    [Fact]
    public async Task AnAccountsLiveVoicesAreLimitedAndDeletingOneMakesRoom()
    {
        Account account = await Db.NewAccountAsync();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(AddVoiceResult.Added, await Store.TryAddAsync(Designed(account.Id, $"Voice{i:000}x"), 3));
        }
        Assert.Equal(AddVoiceResult.LimitReached, await Store.TryAddAsync(Designed(account.Id, "Voice999x"), 3));
        await Store.DeleteAsync(account.Id, "Voice001x", _clock.GetUtcNow());
        Assert.Equal(AddVoiceResult.Added, await Store.TryAddAsync(Designed(account.Id, "Voice999x"), 3));
    }

    [Fact]
    public async Task AVoiceUnusedForSevenDaysIsSweptAndAUsedOneLives()
    {
        Account account = await Db.NewAccountAsync();
        (CustomVoice used, _) = await Service.DesignAsync(account.Id, "UsedVoice1", "a deep, slow male voice", CancellationToken.None);
        (CustomVoice idle, _) = await Service.DesignAsync(account.Id, null, "a bright young woman", CancellationToken.None);
        Assert.StartsWith("ttv-voice-", idle.Id);

        _clock.Advance(TimeSpan.FromDays(6));
        SpeechRequest request = new() { Model = "tts-1", Input = "Still here.", Voice = used.Id };
        SpeechRequest resolved = await Service.ResolveAsync(account.Id, request, null, CancellationToken.None);
        Assert.Equal(used.BaseVoice, resolved.Voice);
        Assert.Equal(0, await Service.SweepExpiredAsync());

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await Service.SweepExpiredAsync()); // the idle one: seven days without use
        Assert.Equal([used.Id], [.. (await Service.ListAsync(account.Id)).Select(v => v.Id)]);
        // An expired id is as taken as a deleted one.
        VoiceException again = await Assert.ThrowsAsync<VoiceException>(() => Service.DesignAsync(account.Id, idle.Id, "anything", CancellationToken.None));
        Assert.Equal(VoiceErrorKind.Duplicate, again.Kind);

        _clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await Service.SweepExpiredAsync());
        Assert.Empty(await Service.ListAsync(account.Id));
        Assert.Equal(request, await Service.ResolveAsync(account.Id, request, null, CancellationToken.None)); // now an unknown name, left to the planner
    }

    [Fact]
    public async Task ADesignResolvesToItsBaseVoiceWithItsControlsAddedToTheRequests()
    {
        Account account = await Db.NewAccountAsync(), other = await Db.NewAccountAsync("other");
        (CustomVoice voice, DesignedVoice design) = await Service.DesignAsync(account.Id, null, "An old, deep-voiced British man who speaks slowly and warmly.", CancellationToken.None);
        Assert.Equal(["male", "old", "deep", "slow", "warm", "en-gb"], design.Traits);
        Assert.Equal(-5, design.Controls.PitchSemitones);
        Assert.Equal(0.9 * 0.88, design.Controls.Speed, 6);
        Assert.Equal(-40, design.Controls.Timbre);
        Assert.True(SpeechServices.Get<SpeechEngineRegistry>().TryGetVoice(design.BaseVoice, out VoiceInfo chosen, out _));
        Assert.Equal(VoiceGender.Male, chosen.Gender);

        SpeechRequest request = new()
        {
            Model = "tts-1", Input = "Hello.", Voice = voice.Id, PitchSemitones = 1, Speed = 1.2,
            Modification = new VoiceModification(Timbre: 30, Intensity: 10)
        };
        SpeechRequest resolved = await Service.ResolveAsync(account.Id, request, null, CancellationToken.None);
        Assert.Equal((design.BaseVoice, -4.0, 1.2 * 0.9 * 0.88, -10, 10),
            (resolved.Voice, resolved.PitchSemitones, Math.Round(resolved.Speed, 6), resolved.Modification.Timbre, resolved.Modification.Intensity));
        _ = SpeechServices.Get<SpeechPlanner>().Plan(resolved); // what the gateway then plans is valid

        // To another account the id is an unknown name: left alone, so the planner refuses it like any other.
        Assert.Equal(request, await Service.ResolveAsync(other.Id, request, null, CancellationToken.None));
        SpeechRequestException unknown = Assert.Throws<SpeechRequestException>(() => SpeechServices.Get<SpeechPlanner>().Plan(request));
        Assert.Equal(SpeechErrorKind.VoiceNotFound, unknown.Kind);
    }

    [Fact]
    public async Task VoiceIdsFollowMiniMaxsRules()
    {
        foreach (string bad in new[] { "short1", "1StartsWithDigit", "ends-with-dash-", "ends_with_underscore_", "has space inside", "has.dot.inside", new string('a', 257) })
        {
            Assert.Equal(VoiceErrorKind.Invalid, Assert.Throws<VoiceException>(() => Service.CheckVoiceId(bad)).Kind);
        }
        foreach (string good in new[] { "MyVoice1", "a-b_c-d9", "Narrator_2026-11", "x" + new string('y', 255) })
        {
            Service.CheckVoiceId(good);
        }
        // A server voice's id or alias cannot be taken: it would shadow the voice for everyone's requests.
        Assert.Equal(VoiceErrorKind.Duplicate, Assert.Throws<VoiceException>(() => Service.CheckVoiceId("English_Graceful_Lady")).Kind);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ConsentsArePagedOldestFirstAndScopedToTheirAccount()
    {
        Account account = await Db.NewAccountAsync(), other = await Db.NewAccountAsync("other");
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var consent = new VoiceConsent(account.Id, $"cons_{i}", $"Speaker {i}", "en-US", 1000 + i, _clock.GetUtcNow());
            await Store.AddConsentAsync(consent);
            ids.Add(consent.Id);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(ids[..2], (await Store.ListConsentsAsync(account.Id, null, 2)).Select(c => c.Id));
        Assert.Equal(ids[2..], (await Store.ListConsentsAsync(account.Id, ids[1], 2)).Select(c => c.Id));
        Assert.Null(await Store.FindConsentAsync(other.Id, ids[0]));
        Assert.Empty(await Store.ListConsentsAsync(other.Id, null, 10));
        Assert.False(await Store.DeleteConsentAsync(other.Id, ids[0]));
        Assert.True(await Store.DeleteConsentAsync(account.Id, ids[0]));
    }

    [Fact]
    public async Task AVoiceHeldAtAProviderIsFoundByItsProviderIdOnly()
    {
        Account account = await Db.NewAccountAsync();
        await Store.TryAddAsync(Designed(account.Id, "RelayedOne") with { Upstream = "minimax", UpstreamVoiceId = "RelayedOne" }, 20);
        Assert.Equal(account.Id, (await Store.FindByUpstreamAsync("minimax", "RelayedOne"))!.AccountId);
        Assert.Null(await Store.FindByUpstreamAsync("openai", "RelayedOne"));
        await Store.DeleteAsync(account.Id, "RelayedOne", _clock.GetUtcNow());
        Assert.Null(await Store.FindByUpstreamAsync("minimax", "RelayedOne"));
    }
}
