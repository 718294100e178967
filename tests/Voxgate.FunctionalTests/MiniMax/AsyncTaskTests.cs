using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

/// <summary>A real server process whose task leases are short, so a crashed task resumes within seconds.</summary>
public class TaskServer : ServerProcess
{
    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Tasks__Lease", "00:00:03"),
        new("Voxgate__Tasks__PollInterval", "00:00:00.200"),
    ];
}

/// <summary>
/// The asynchronous long-text flow end to end, over real HTTP to a real server process, as a MiniMax client runs it:
/// upload, create, poll, retrieve, download, untar, and check the audio with ffprobe.
/// </summary>
public class AsyncTaskTests(TaskServer server) : IClassFixture<TaskServer>
{
    /// <summary>voxgate/flite's price: 5,000 micro-dollars per 1,000 characters.</summary>
    private const long FlitePricePer1K = 5_000;

    private MiniMaxApi Api(string key) => new(new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key));

    [Fact]
    public async Task A200000CharacterFileBecomesADownloadableTarOfAudioSubtitlesAndExtraInfo()
    {
        string key = await server.CreateFundedKeyAsync("async-e2e", "10.00");
        MiniMaxApi api = Api(key);
        string text = LongText.Make(200_000);
        long before = await server.AvailableMicrosAsync(key);

        JsonElement upload = MiniMaxApi.Ok(await api.UploadAsync("book.txt", MiniMaxApi.Utf8(text)));
        long inputFileId = upload.GetProperty("file").GetProperty("file_id").GetInt64();
        Assert.Equal(MiniMaxApi.Utf8(text).Length, upload.GetProperty("file").GetProperty("bytes").GetInt64());

        JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", new
        {
            model = "flite",
            text_file_id = inputFileId,
            voice_setting = new { voice_id = "flite:kal16", speed = 1.0, vol = 1.0, pitch = 0 },
            audio_setting = new { audio_sample_rate = 16000, bitrate = 128000, format = "flac", channel = 1 },
        }));
        long taskId = created.GetProperty("task_id").GetInt64();
        long resultFileId = created.GetProperty("file_id").GetInt64();
        Assert.Equal(200_000, created.GetProperty("usage_characters").GetInt32());
        Assert.False(string.IsNullOrEmpty(created.GetProperty("task_token").GetString()));

        // The hold is taken at creation: the whole cost is unavailable while the task runs.
        long cost = 200_000 * FlitePricePer1K / 1000;
        Assert.Equal(before - cost, await server.AvailableMicrosAsync(key));

        var seenPercents = new List<double>();
        JsonElement done = await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(3),
            progress => seenPercents.Add(progress.GetProperty("progress").GetProperty("percent").GetDouble()));
        Assert.Equal("Success", done.GetProperty("status").GetString());
        Assert.Equal(resultFileId, done.GetProperty("file_id").GetInt64());
        Assert.Equal(100, done.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.True(seenPercents.SequenceEqual(seenPercents.Order()), $"progress went backwards: {string.Join(", ", seenPercents)}");
        Assert.Contains(seenPercents, p => p is > 0 and < 100); // progress is recorded while the task runs

        JsonElement file = MiniMaxApi.Ok(await api.GetAsync($"files/retrieve?file_id={resultFileId}")).GetProperty("file");
        Assert.Equal($"{taskId}.tar", file.GetProperty("filename").GetString());
        using var anonymous = new HttpClient();
        byte[] tar = await anonymous.GetByteArrayAsync(file.GetProperty("download_url").GetString());
        Assert.Equal(file.GetProperty("bytes").GetInt64(), tar.Length);
        Dictionary<string, byte[]> entries = await MiniMaxApi.UntarAsync(tar);
        Assert.Equal([$"{taskId}.extra", $"{taskId}.flac", $"{taskId}.titles"], entries.Keys.Order(StringComparer.Ordinal));

        ProbeResult probe = await AudioProbe.ProbeAsync(entries[$"{taskId}.flac"], "flac");
        Assert.Equal(("flac", 16000, 1), (probe.Codec, probe.SampleRate, probe.Channels));
        // About 12 characters a second, as this voice speaks: 200,000 characters are hours of audio.
        Assert.InRange(probe.DecodedDuration.TotalSeconds, 200_000 / 25.0, 200_000 / 8.0);

        JsonElement extra = JsonDocument.Parse(entries[$"{taskId}.extra"]).RootElement;
        Assert.Equal(200_000, extra.GetProperty("usage_characters").GetInt32());
        Assert.Equal(entries[$"{taskId}.flac"].Length, extra.GetProperty("audio_size").GetInt64());
        Assert.InRange(extra.GetProperty("audio_length").GetInt64(), probe.DecodedDuration.TotalMilliseconds - 50, probe.DecodedDuration.TotalMilliseconds + 50);

        List<JsonElement> titles = [.. JsonDocument.Parse(entries[$"{taskId}.titles"]).RootElement.EnumerateArray()];
        Assert.True(titles.Count > 2000, $"expected a subtitle per sentence, got {titles.Count}");
        Assert.Equal(0, titles[0].GetProperty("time_begin").GetInt64());
        int searchFrom = 0;
        for (int i = 0; i < titles.Count; i++)
        {
            // Each subtitle is the next sentence of the text (offsets index the cleaned text, see docs/api.md).
            int found = text.IndexOf(titles[i].GetProperty("text").GetString()!, searchFrom, StringComparison.Ordinal);
            Assert.True(found >= searchFrom, $"subtitle {i} is not the text's next sentence: {titles[i]}");
            searchFrom = found + 1;
            Assert.True(i == 0 || titles[i].GetProperty("text_begin").GetInt32() >= titles[i - 1].GetProperty("text_end").GetInt32());
            long begin = titles[i].GetProperty("time_begin").GetInt64(), end = titles[i].GetProperty("time_end").GetInt64();
            Assert.True(end > begin, $"subtitle {i} has no duration: {titles[i]}");
            Assert.True(i == 0 || begin >= titles[i - 1].GetProperty("time_end").GetInt64(), $"subtitle {i} starts before {i - 1} ends");
        }
        Assert.InRange(titles[^1].GetProperty("time_end").GetInt64(), probe.DecodedDuration.TotalMilliseconds - 1000, probe.DecodedDuration.TotalMilliseconds + 50);

        // Charged once, for exactly the characters reported.
        Assert.Equal(before - cost, await server.AvailableMicrosAsync(key));
        List<JsonElement> charges = await server.ChargesAsync("async-e2e", $"task-{taskId}");
        Assert.Equal(-cost, Assert.Single(charges).GetProperty("amount_micros").GetInt64());

        // retrieve_content gives the same bytes with the key.
        using HttpResponseMessage content = await api.Http.GetAsync($"/minimax/v1/files/retrieve_content?file_id={resultFileId}");
        Assert.Equal(tar, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/x-tar", content.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InlineTextZipAndJsonUploadsAllMakeTasks()
    {
        string key = await server.CreateFundedKeyAsync("async-kinds", "5.00");
        MiniMaxApi api = Api(key);

        byte[] zip = Zip(("2.txt", "The second chapter follows."), ("1.txt", "The first chapter begins here."));
        long zipId = MiniMaxApi.Ok(await api.UploadAsync("book.zip", zip)).GetProperty("file").GetProperty("file_id").GetInt64();
        byte[] json = MiniMaxApi.Utf8("""{"title": "A title", "content": "The content of the json file.", "extra": "ignored"}""");
        long jsonId = MiniMaxApi.Ok(await api.UploadAsync("book.json", json)).GetProperty("file").GetProperty("file_id").GetInt64();

        var sources = new (object Source, string Expected)[]
        {
            (new { text = "Inline text for a small task." }, "Inline text for a small task."),
            (new { text_file_id = zipId }, "The first chapter begins here."),
            (new { text_file_id = jsonId }, "The content of the json file."),
        };
        foreach ((object source, string expected) in sources)
        {
            var body = JsonSerializer.SerializeToNode(source)!.AsObject();
            body["model"] = "flite";
            body["voice_setting"] = new System.Text.Json.Nodes.JsonObject { ["voice_id"] = "flite:kal16" };
            body["audio_setting"] = new System.Text.Json.Nodes.JsonObject { ["format"] = "mp3", ["audio_sample_rate"] = 24000, ["channel"] = 2 };
            JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", body));
            long taskId = created.GetProperty("task_id").GetInt64();
            Assert.Equal("Success", (await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());

            using HttpResponseMessage content = await api.Http.GetAsync($"/minimax/v1/files/retrieve_content?file_id={created.GetProperty("file_id").GetInt64()}");
            Dictionary<string, byte[]> entries = await MiniMaxApi.UntarAsync(await content.Content.ReadAsByteArrayAsync());
            ProbeResult probe = await AudioProbe.ProbeAsync(entries[$"{taskId}.mp3"], "mp3");
            Assert.Equal((24000, 2), (probe.SampleRate, probe.Channels));
            string spoken = string.Concat(JsonDocument.Parse(entries[$"{taskId}.titles"]).RootElement.EnumerateArray().Select(t => t.GetProperty("text").GetString()));
            Assert.Contains(expected.TrimEnd('.'), spoken);
        }
    }

    [Fact]
    public async Task ListAndDeleteFiles()
    {
        string key = await server.CreateFundedKeyAsync("async-files", "1.00");
        MiniMaxApi api = Api(key);
        long id = MiniMaxApi.Ok(await api.UploadAsync("notes.txt", MiniMaxApi.Utf8("Some notes to read."))).GetProperty("file").GetProperty("file_id").GetInt64();

        JsonElement listed = MiniMaxApi.Ok(await api.GetAsync("files/list?purpose=t2a_async_input"));
        Assert.Contains(listed.GetProperty("files").EnumerateArray(), f => f.GetProperty("file_id").GetInt64() == id && f.GetProperty("filename").GetString() == "notes.txt");

        MiniMaxApi.Ok(await api.PostAsync("files/delete", new { file_id = id }));
        Assert.DoesNotContain(MiniMaxApi.Ok(await api.GetAsync("files/list")).GetProperty("files").EnumerateArray(), f => f.GetProperty("file_id").GetInt64() == id);
        Assert.Equal(2013, MiniMaxApi.StatusCode(await api.GetAsync($"files/retrieve?file_id={id}")));
        Assert.Equal(2013, MiniMaxApi.StatusCode(await api.PostAsync("files/delete", new { file_id = id })));
    }

    [Fact]
    public async Task TasksThatCannotBePaidForAreRefusedAndNothingIsQueued()
    {
        string key = await server.CreateFundedKeyAsync("async-poor", "0.01"); // 9,500 micro-dollars after the fee: 1,900 characters
        MiniMaxApi api = Api(key);
        JsonElement refused = await api.PostAsync("t2a_async_v2", new
        {
            model = "flite",
            text = LongText.Make(5_000),
            voice_setting = new { voice_id = "flite:kal16" },
        });
        Assert.Equal(1008, MiniMaxApi.StatusCode(refused));
        Assert.False(refused.TryGetProperty("task_id", out _));
        Assert.Empty(await server.ChargesAsync("async-poor", null));
    }

    private static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, string text) in files)
            {
                using Stream entry = archive.CreateEntry(name).Open();
                entry.Write(MiniMaxApi.Utf8(text));
            }
        }
        return buffer.ToArray();
    }
}
