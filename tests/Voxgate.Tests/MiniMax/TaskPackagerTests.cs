using System.Diagnostics;
using System.Formats.Tar;
using Voxgate.MiniMax;

namespace Voxgate.Tests.MiniMax;

public class TaskPackagerTests
{
    [Fact]
    public async Task TheAudioHeaderWrittenLastIsOneGnuTarAndDotNetRead()
    {
        string path = Path.Combine(Path.GetTempPath(), $"voxgate-ustar-{Guid.NewGuid():N}.tar");
        try
        {
            byte[] content = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
            await using (FileStream file = File.Create(path))
            {
                file.Write(MiniMaxTaskPackager.UstarHeader("12345.flac", content.Length, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)));
                file.Write(content);
                file.Write(new byte[512 - content.Length % 512 + 1024]); // padding, then the end-of-archive blocks
            }
            var tar = Process.Start(new ProcessStartInfo("tar", ["tvf", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string listing = await tar.StandardOutput.ReadToEndAsync();
            await tar.WaitForExitAsync();
            Assert.True(tar.ExitCode == 0, await tar.StandardError.ReadToEndAsync());
            Assert.Matches(@"-rw-r--r-- 0/0\s+1000 2027-01-15 \d\d:\d\d 12345\.flac", listing);

            await using var reader = new TarReader(File.OpenRead(path));
            TarEntry entry = (await reader.GetNextEntryAsync())!;
            using var data = new MemoryStream();
            await entry.DataStream!.CopyToAsync(data);
            Assert.Equal(content, data.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task SizesOfEightGibibytesAndMoreUseTheBase256Form()
    {
        long size = 9L << 30;
        string path = Path.Combine(Path.GetTempPath(), $"voxgate-ustar-{Guid.NewGuid():N}.tar");
        try
        {
            await using (FileStream file = File.Create(path))
            {
                file.Write(MiniMaxTaskPackager.UstarHeader("huge.pcm", size, DateTimeOffset.UtcNow));
                file.SetLength(512 + size + 1024); // sparse: the reader only seeks over the data
            }
            await using var reader = new TarReader(File.OpenRead(path));
            Assert.Equal(size, (await reader.GetNextEntryAsync(copyData: false))!.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
