using System.Net;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

public class StartupSweepTests
{
    // Old code: the temporaries of a process killed mid-write stayed on disk for ever (nothing ever deleted them).
    [Fact]
    public async Task TemporariesLeftByAKilledProcessAreDeletedAtStartUpAndOtherFilesKept()
    {
        using var factory = new VoxgateFactory();
        string files = Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "files")).FullName;
        string spill = Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "tmp")).FullName;
        string[] temporaries =
        [
            Path.Combine(files, "4503599627370495.0123456789abcdef0123456789abcdef.tmp"), // a result or upload being written
            Path.Combine(files, "half.tmp"),
            Path.Combine(spill, "spill-0123456789abcdef.tmp"), // a spill file not yet unlinked
        ];
        string[] kept = [Path.Combine(files, "4503599627370495"), Path.Combine(files, "notes.tmp.txt"), Path.Combine(spill, "keep.txt")];
        foreach (string path in temporaries.Concat(kept))
        {
            await File.WriteAllTextAsync(path, "left behind");
        }

        // The host is built (and starts) here, after the files were left.
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);

        Assert.All(temporaries, path => Assert.False(File.Exists(path), $"{Path.GetFileName(path)} was not swept"));
        Assert.All(kept, path => Assert.True(File.Exists(path), $"{Path.GetFileName(path)} was deleted"));
    }
}
