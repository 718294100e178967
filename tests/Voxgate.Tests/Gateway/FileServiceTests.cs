using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Security;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Gateway;

public sealed class FileServiceTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly FileService _files;

    public FileServiceTests()
    {
        var signer = new UrlSigner(new MasterKey(Options.Create(new ProviderKeyOptions()), _db.Options), _clock);
        _files = new FileService(new SqliteFileStore(_db.Database), signer, _db.Options, Options.Create(new FileStoreOptions()), _clock);
    }

    public void Dispose() => _db.Dispose();

    private Task<StoredFile> SaveAsync(long account, string text, long? id = null) =>
        _files.SaveAsync(account, "t2a_async", "result.tar", TimeSpan.FromDays(7),
            (stream, token) => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), token).AsTask(), CancellationToken.None, id);

    [Fact]
    public async Task ARerunTaskRewritesItsReservedResultFile()
    {
        // A task killed after storing its result but before it was marked done runs again and stores it again.
        Account account = _db.NewAccount();
        StoredFile first = await SaveAsync(account.Id, "first run");
        StoredFile second = await SaveAsync(account.Id, "second run, longer", first.Id);

        Assert.Equal(first.Id, second.Id);
        StoredFile stored = _files.Get(account.Id, first.Id);
        Assert.Equal("second run, longer".Length, stored.Bytes);
        using var reader = new StreamReader(_files.OpenRead(stored));
        Assert.Equal("second run, longer", await reader.ReadToEndAsync());
        Assert.Single(_files.List(account.Id, null));
    }

    [Fact]
    public async Task AnIdCannotBeTakenOverByAnotherAccount()
    {
        Account owner = _db.NewAccount("owner"), other = _db.NewAccount("other");
        StoredFile file = await SaveAsync(owner.Id, "owner's");
        await Assert.ThrowsAsync<InvalidOperationException>(() => SaveAsync(other.Id, "other's", file.Id));
        Assert.Equal(file.Sha256, _files.Get(owner.Id, file.Id).Sha256);
        Assert.Throws<NotFoundException>(() => _files.Get(other.Id, file.Id));
    }

    [Fact]
    public async Task SweepingDeletesExpiredFilesAndTheirBytes()
    {
        Account account = _db.NewAccount();
        StoredFile file = await SaveAsync(account.Id, "soon gone");
        Assert.Equal(0, _files.SweepExpired());
        _clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, _files.SweepExpired());
        Assert.False(File.Exists(Path.Combine(_db.Directory, "files", file.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Throws<NotFoundException>(() => _files.Get(account.Id, file.Id));
    }
}
