using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Security;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

public abstract class FileServiceTests(StoreProvider provider) : StoreTests(provider)
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private FileService? _service;

    private FileService Files => _service ??= new FileService(Db.Files,
        new UrlSigner(new MasterKey(Options.Create(new ProviderKeyOptions()), Db.Options), _clock), Db.Options, Options.Create(new FileStoreOptions()),
        Db.Node, _clock);

    private Task<StoredFile> SaveAsync(long account, string text, long? id = null) =>
        Files.SaveAsync(account, "t2a_async", "result.tar", TimeSpan.FromDays(7),
            (stream, token) => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), token).AsTask(), CancellationToken.None, id);

    [Fact]
    public async Task ARerunTaskRewritesItsReservedResultFile()
    {
        // A task killed after storing its result but before it was marked done runs again and stores it again.
        Account account = await Db.NewAccountAsync();
        StoredFile first = await SaveAsync(account.Id, "first run");
        StoredFile second = await SaveAsync(account.Id, "second run, longer", first.Id);

        Assert.Equal(first.Id, second.Id);
        StoredFile stored = await Files.GetAsync(account.Id, first.Id);
        Assert.Equal("second run, longer".Length, stored.Bytes);
        using var reader = new StreamReader(Files.OpenRead(stored));
        Assert.Equal("second run, longer", await reader.ReadToEndAsync());
        Assert.Single(await Files.ListAsync(account.Id, null));
    }

    [Fact]
    public async Task AnIdCannotBeTakenOverByAnotherAccount()
    {
        Account owner = await Db.NewAccountAsync("owner"), other = await Db.NewAccountAsync("other");
        StoredFile file = await SaveAsync(owner.Id, "owner's");
        await Assert.ThrowsAsync<InvalidOperationException>(() => SaveAsync(other.Id, "other's", file.Id));
        Assert.Equal(file.Sha256, (await Files.GetAsync(owner.Id, file.Id)).Sha256);
        await Assert.ThrowsAsync<NotFoundException>(() => Files.GetAsync(other.Id, file.Id));
    }

    [Fact]
    public async Task SweepingDeletesExpiredFilesAndTheirBytes()
    {
        Account account = await Db.NewAccountAsync();
        StoredFile file = await SaveAsync(account.Id, "soon gone");
        Assert.Equal(0, await Files.SweepExpiredAsync());
        _clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await Files.SweepExpiredAsync());
        Assert.False(File.Exists(Path.Combine(Db.Directory, "files", file.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await Assert.ThrowsAsync<NotFoundException>(() => Files.GetAsync(account.Id, file.Id));
    }
}
