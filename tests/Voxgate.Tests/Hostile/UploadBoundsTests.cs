using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>A server where an account keeps at most two live files.</summary>
public sealed class TwoFilesFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Files:MaxFilesPerAccount", "2")];
}

/// <summary>A server where an account keeps at most 3,500 bytes of live files: three uploads of 1,000 bytes.</summary>
public sealed class SmallStorageFactory : VoxgateFactory
{
    public const long MaxBytes = 3_500;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Files:MaxBytesPerAccount", MaxBytes.ToString(CultureInfo.InvariantCulture))];
}

public class UploadBoundsTests(TwoFilesFactory twoFiles, SmallStorageFactory smallStorage) : IClassFixture<TwoFilesFactory>, IClassFixture<SmallStorageFactory>
{
    private static readonly byte[] s_kilobyte = MiniMaxApi.Utf8(string.Concat(Enumerable.Repeat("Nine words of text to read aloud, in order. ", 23))[..1000]);

    // Old code: uploads were not counted against any limit, so a key could upload without bound.
    [Fact]
    public async Task UploadsCountAgainstTheKeysRequestsPerMinuteAndARefusalIsCounted()
    {
        string key = await smallStorage.CreateKeyAsync("upload-rpm", "1.00", requestsPerMinute: 2);
        long account = (await smallStorage.Service<AccountService>().GetAccountAsync("upload-rpm")).Id;
        HttpClient client = smallStorage.CreateClientWithKey(key);

        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage accepted = await UploadAsync(client, $"note{i}.txt", MiniMaxApi.Utf8("A short note."));
            MiniMaxApi.Ok(await accepted.JsonAsync());
        }
        using HttpResponseMessage third = await UploadAsync(client, "note2.txt", MiniMaxApi.Utf8("A short note."));

        Assert.Equal(1002, MiniMaxApi.StatusCode(await third.JsonAsync()));
        Assert.True(int.Parse(third.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) > 0);
        Assert.Equal(2, MiniMaxApi.Ok(await new MiniMaxApi(client).GetAsync("files/list")).GetProperty("files").GetArrayLength());
        UsageReport report = await smallStorage.Service<UsageReports>().ByDayAsync(account, 1);
        Assert.Equal([new RefusalTotal(UsageStatus.RateLimited, 1)], report.Refusals);
    }

    // Old code: no quota; an account could fill the server's disk with uploads.
    [Fact]
    public async Task AnUploadPastTheFileCountQuotaIsRefusedStoresNothingAndIsAcceptedAfterADeletion()
    {
        string key = await twoFiles.CreateKeyAsync("file-count", "1.00");
        var api = new MiniMaxApi(twoFiles.CreateClientWithKey(key));
        long first = MiniMaxApi.Ok(await api.UploadAsync("one.txt", MiniMaxApi.Utf8("The first file."))).GetProperty("file").GetProperty("file_id").GetInt64();
        MiniMaxApi.Ok(await api.UploadAsync("two.txt", MiniMaxApi.Utf8("The second file.")));

        JsonElement refused = await api.UploadAsync("three.txt", MiniMaxApi.Utf8("One file too many."));

        Assert.Equal(2013, MiniMaxApi.StatusCode(refused));
        Assert.Contains("quota", MiniMaxApi.StatusMessage(refused));
        Assert.Contains("at most 2 files", MiniMaxApi.StatusMessage(refused));
        Assert.Equal(2, MiniMaxApi.Ok(await api.GetAsync("files/list")).GetProperty("files").GetArrayLength());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(twoFiles.DataDirectory, "files")).Length); // no bytes left behind, no temporaries

        MiniMaxApi.Ok(await api.PostAsync("files/delete", new { file_id = first }));
        MiniMaxApi.Ok(await api.UploadAsync("three.txt", MiniMaxApi.Utf8("Room again after a deletion.")));
    }

    [Fact]
    public async Task AnUploadPastTheByteQuotaIsRefusedAndIsAcceptedAfterADeletion()
    {
        string key = await smallStorage.CreateKeyAsync("file-bytes", "1.00");
        var api = new MiniMaxApi(smallStorage.CreateClientWithKey(key));
        var ids = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add(MiniMaxApi.Ok(await api.UploadAsync($"part{i}.txt", s_kilobyte)).GetProperty("file").GetProperty("file_id").GetInt64());
        }

        JsonElement refused = await api.UploadAsync("part3.txt", s_kilobyte);

        Assert.Equal(2013, MiniMaxApi.StatusCode(refused));
        Assert.Contains("quota", MiniMaxApi.StatusMessage(refused));
        Assert.Contains($"{SmallStorageFactory.MaxBytes:N0} bytes", MiniMaxApi.StatusMessage(refused));
        Assert.Equal(3, MiniMaxApi.Ok(await api.GetAsync("files/list")).GetProperty("files").GetArrayLength());

        MiniMaxApi.Ok(await api.PostAsync("files/delete", new { file_id = ids[0] }));
        MiniMaxApi.Ok(await api.UploadAsync("part3.txt", s_kilobyte));
    }

    // The quota is checked as each upload is recorded, in one transaction: uploads racing each other cannot pass it together.
    [Fact]
    public async Task ConcurrentUploadsCannotPassTheQuotaTogether()
    {
        string key = await smallStorage.CreateKeyAsync("file-race", "1.00");
        HttpClient client = smallStorage.CreateClientWithKey(key);

        JsonElement[] answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using HttpResponseMessage response = await UploadAsync(client, $"race{i}.txt", s_kilobyte);
            return await response.JsonAsync();
        }));

        Assert.Equal(3, answers.Count(a => MiniMaxApi.StatusCode(a) == 0));
        Assert.All(answers.Where(a => MiniMaxApi.StatusCode(a) != 0), a =>
        {
            Assert.Equal(2013, MiniMaxApi.StatusCode(a));
            Assert.Contains("quota", MiniMaxApi.StatusMessage(a));
        });
        JsonElement listed = MiniMaxApi.Ok(await new MiniMaxApi(client).GetAsync("files/list"));
        Assert.Equal(3, listed.GetProperty("files").GetArrayLength());
        Assert.Equal(3 * s_kilobyte.Length, listed.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("bytes").GetInt64()));
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string filename, byte[] content)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("t2a_async_input"), "purpose" },
            { new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "file", filename },
        };
        return client.PostAsync("/minimax/v1/files/upload", form);
    }
}
