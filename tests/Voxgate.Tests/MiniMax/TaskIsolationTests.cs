using System.Globalization;
using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

/// <summary>Tasks and files belong to their account; links are signed and expire; results expire on schedule.</summary>
public class TaskIsolationTests(ClockedVoxgateFactory factory) : IClassFixture<ClockedVoxgateFactory>
{
    private MiniMaxApi Api(string key) => new(factory.CreateClientWithKey(key));

    private static async Task<(long TaskId, long ResultFileId)> CompletedTaskAsync(MiniMaxApi api, long? textFileId = null)
    {
        JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", textFileId is long id
            ? new { model = "flite", text = (string?)null, text_file_id = (long?)id, voice_setting = new { voice_id = "flite:kal16" } }
            : new { model = "flite", text = (string?)"A private task of account A.", text_file_id = (long?)null, voice_setting = new { voice_id = "flite:kal16" } }));
        long taskId = created.GetProperty("task_id").GetInt64();
        Assert.Equal("Success", (await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        return (taskId, created.GetProperty("file_id").GetInt64());
    }

    [Fact]
    public async Task AnotherAccountCannotSeeQueryDownloadOrDeleteTasksAndFiles()
    {
        MiniMaxApi owner = Api(await factory.CreateKeyAsync("owner", "5.00"));
        MiniMaxApi intruder = Api(await factory.CreateKeyAsync("intruder", "5.00"));
        long uploadId = MiniMaxApi.Ok(await owner.UploadAsync("secret.txt", MiniMaxApi.Utf8("The owner's secret text."))).GetProperty("file").GetProperty("file_id").GetInt64();
        (long taskId, long resultId) = await CompletedTaskAsync(owner, uploadId);
        const long missing = 1_234_567_890_123_456;

        // Every attempt reads exactly like an id that does not exist at all.
        await AssertSameAsMissingAsync(intruder.QueryAsync(taskId), intruder.QueryAsync(missing), taskId, missing);
        await AssertSameAsMissingAsync(intruder.PostAsync("query/t2a_async_query_v2", new { task_id = taskId }),
            intruder.PostAsync("query/t2a_async_query_v2", new { task_id = missing }), taskId, missing);
        foreach (long fileId in new[] { uploadId, resultId })
        {
            await AssertSameAsMissingAsync(intruder.GetAsync($"files/retrieve?file_id={fileId}"), intruder.GetAsync($"files/retrieve?file_id={missing}"), fileId, missing);
            await AssertSameAsMissingAsync(intruder.GetAsync($"files/retrieve_content?file_id={fileId}"),
                intruder.GetAsync($"files/retrieve_content?file_id={missing}"), fileId, missing);
            await AssertSameAsMissingAsync(intruder.PostAsync("files/delete", new { file_id = fileId }), intruder.PostAsync("files/delete", new { file_id = missing }), fileId, missing);
        }
        await AssertSameAsMissingAsync(
            intruder.PostAsync("t2a_async_v2", new { model = "flite", text_file_id = uploadId, voice_setting = new { voice_id = "flite:kal16" } }),
            intruder.PostAsync("t2a_async_v2", new { model = "flite", text_file_id = missing, voice_setting = new { voice_id = "flite:kal16" } }), uploadId, missing);
        Assert.Empty(MiniMaxApi.Ok(await intruder.GetAsync("files/list")).GetProperty("files").EnumerateArray());

        // The owner still has everything the intruder tried to delete.
        Assert.Equal("Success", MiniMaxApi.Ok(await owner.QueryAsync(taskId)).GetProperty("status").GetString());
        MiniMaxApi.Ok(await owner.GetAsync($"files/retrieve?file_id={uploadId}"));
        MiniMaxApi.Ok(await owner.GetAsync($"files/retrieve?file_id={resultId}"));
    }

    [Fact]
    public async Task DownloadLinksAreSignedForOneFileAndOneExpiry()
    {
        MiniMaxApi owner = Api(await factory.CreateKeyAsync("linker", "5.00"));
        (_, long resultId) = await CompletedTaskAsync(owner);
        long otherId = MiniMaxApi.Ok(await owner.UploadAsync("other.txt", MiniMaxApi.Utf8("Another file."))).GetProperty("file").GetProperty("file_id").GetInt64();
        var link = new Uri(MiniMaxApi.Ok(await owner.GetAsync($"files/retrieve?file_id={resultId}")).GetProperty("file").GetProperty("download_url").GetString()!);
        using HttpClient anonymous = factory.CreateClientWithKey(null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link.PathAndQuery)).StatusCode);
        string otherFile = link.PathAndQuery.Replace($"/download/{resultId}", $"/download/{otherId}", StringComparison.Ordinal);
        string laterExpiry = System.Text.RegularExpressions.Regex.Replace(link.PathAndQuery, @"expires=(\d+)", m => $"expires={long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 3600}");
        string unsigned = link.AbsolutePath;
        foreach (string forged in new[] { otherFile, laterExpiry, unsigned })
        {
            using HttpResponseMessage refused = await anonymous.GetAsync(forged);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(1004, MiniMaxApi.StatusCode(await refused.JsonAsync()));
        }
    }

    [Fact]
    public async Task LinksExpireAfterNineHoursAndResultsAfterSevenDaysThenTheTaskReadsExpired()
    {
        MiniMaxApi owner = Api(await factory.CreateKeyAsync("expiry", "5.00"));
        (long taskId, long resultId) = await CompletedTaskAsync(owner);
        string link = new Uri(MiniMaxApi.Ok(await owner.GetAsync($"files/retrieve?file_id={resultId}")).GetProperty("file").GetProperty("download_url").GetString()!).PathAndQuery;
        using HttpClient anonymous = factory.CreateClientWithKey(null);

        factory.Clock.Advance(TimeSpan.FromHours(8.9));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link)).StatusCode);
        factory.Clock.Advance(TimeSpan.FromHours(0.2));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(link)).StatusCode);
        string fresh = new Uri(MiniMaxApi.Ok(await owner.GetAsync($"files/retrieve?file_id={resultId}")).GetProperty("file").GetProperty("download_url").GetString()!).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(fresh)).StatusCode);
        Assert.Equal("Success", MiniMaxApi.Ok(await owner.QueryAsync(taskId)).GetProperty("status").GetString());

        factory.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal("Expired", MiniMaxApi.Ok(await owner.QueryAsync(taskId)).GetProperty("status").GetString());
        Assert.Equal(2013, MiniMaxApi.StatusCode(await owner.GetAsync($"files/retrieve?file_id={resultId}")));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(fresh)).StatusCode);
    }

    private static async Task AssertSameAsMissingAsync(Task<JsonElement> attempt, Task<JsonElement> missing, long attemptedId, long missingId)
    {
        JsonElement refused = await attempt, absent = await missing;
        Assert.Equal(2013, MiniMaxApi.StatusCode(refused));
        Assert.Equal(MiniMaxApi.StatusMessage(absent).Replace(missingId.ToString(CultureInfo.InvariantCulture), "ID"), MiniMaxApi.StatusMessage(refused).Replace(attemptedId.ToString(CultureInfo.InvariantCulture), "ID"));
        Assert.False(refused.TryGetProperty("file", out _));
        Assert.False(refused.TryGetProperty("status", out _));
    }
}
