using System.Net;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

public class StartupSweepTests
{
    private sealed class NodeAFactory : VoxgateFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Node", "node-a")];
    }

    // Old code: the temporaries of a process killed mid-write stayed on disk for ever (nothing ever deleted them).
    // Since the files directory is shared by nodes, a node deletes its own and only abandoned ones of other nodes:
    // another node's recent temporary is a file it is writing right now.
    [Fact]
    public async Task TemporariesLeftByAKilledProcessAreDeletedAtStartUpAndOtherFilesKept()
    {
        using var factory = new NodeAFactory();
        string files = Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "files")).FullName;
        string spill = Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "tmp")).FullName;
        string abandonedElsewhere = Path.Combine(files, "4503599627370497.node-b.0123456789abcdef0123456789abcdef.tmp");
        string[] temporaries =
        [
            Path.Combine(files, "4503599627370495.node-a.0123456789abcdef0123456789abcdef.tmp"), // this node's, being written when it died
            abandonedElsewhere,
            Path.Combine(spill, "spill-0123456789abcdef.tmp"), // a spill file not yet unlinked
        ];
        string[] kept =
        [
            Path.Combine(files, "4503599627370495"),
            Path.Combine(files, "notes.tmp.txt"),
            Path.Combine(files, "4503599627370496.node-b.0123456789abcdef0123456789abcdef.tmp"), // node-b is writing it
            Path.Combine(spill, "keep.txt"),
        ];
        foreach (string path in temporaries.Concat(kept))
        {
            await File.WriteAllTextAsync(path, "left behind");
        }
        File.SetLastWriteTimeUtc(abandonedElsewhere, DateTime.UtcNow.AddDays(-2));

        // The host is built (and starts) here, after the files were left.
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);

        Assert.All(temporaries, path => Assert.False(File.Exists(path), $"{Path.GetFileName(path)} was not swept"));
        Assert.All(kept, path => Assert.True(File.Exists(path), $"{Path.GetFileName(path)} was deleted"));
    }
}
