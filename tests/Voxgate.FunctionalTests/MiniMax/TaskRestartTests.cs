using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

/// <summary>
/// The durable queue across a crash: the server process is killed with SIGKILL while a task runs, started again on the
/// same data directory, and the task finishes, charged once. Its own fixture, since the test kills the server.
/// </summary>
public class TaskRestartTests(TaskServer server) : IClassFixture<TaskServer>
{
    private const int Characters = 3_000;

    [Fact]
    public async Task ATaskInterruptedByAKilledProcessFinishesAfterRestartChargedOnce()
    {
        string key = await server.CreateFundedKeyAsync("restart", "10.00");
        long before = await server.AvailableMicrosAsync(key);
        var api = new MiniMaxApi(new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key));
        JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", new
        {
            model = "flite",
            // flite:slt speaks about 1,000 characters a second on a quiet machine: these take a few seconds, several of
            // the worker's progress heartbeats (a third of the 3 s lease), so the kill lands mid-run, and the whole test
            // stays short (it used 10,000 characters, half a minute or more per attempt). flite:kal16 is too quick:
            // the task was done before its first heartbeat.
            text = LongText.Make(Characters, seed: 11),
            voice_setting = new { voice_id = "flite:slt" },
            audio_setting = new { audio_sample_rate = 16000, format = "flac", channel = 1 },
        }));
        long taskId = created.GetProperty("task_id").GetInt64();
        long cost = Characters * 5_000 / 1000;

        // Wait until the worker has recorded progress (so the task is mid-run), then kill the process.
        JsonElement running;
        do
        {
            await Task.Delay(100);
            running = MiniMaxApi.Ok(await api.QueryAsync(taskId));
            Assert.Equal("Processing", running.GetProperty("status").GetString());
        }
        while (running.GetProperty("progress").GetProperty("segments_done").GetInt32() == 0);
        int doneBeforeCrash = running.GetProperty("progress").GetProperty("segments_done").GetInt32();
        Assert.True(doneBeforeCrash < running.GetProperty("progress").GetProperty("segments_total").GetInt32(), "the task finished before the crash");
        await server.KillAsync();

        await server.RestartAsync();
        api = new MiniMaxApi(new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key));
        JsonElement afterRestart = MiniMaxApi.Ok(await api.QueryAsync(taskId));
        Assert.Equal("Processing", afterRestart.GetProperty("status").GetString()); // not lost, not failed
        Assert.Equal(before - cost, await server.AvailableMicrosAsync(key)); // still held, not charged

        JsonElement done = await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(3));
        Assert.Equal("Success", done.GetProperty("status").GetString());
        Assert.Contains($"Task {taskId} started (attempt 2", server.Output);

        Assert.Equal(-cost, Assert.Single(await server.ChargesAsync("restart", $"task-{taskId}")).GetProperty("amount_micros").GetInt64());
        Assert.Equal(before - cost, await server.AvailableMicrosAsync(key));

        using HttpResponseMessage content = await api.Http.GetAsync($"/minimax/v1/files/retrieve_content?file_id={done.GetProperty("file_id").GetInt64()}");
        Dictionary<string, byte[]> entries = await MiniMaxApi.UntarAsync(await content.Content.ReadAsByteArrayAsync());
        ProbeResult probe = await AudioProbe.ProbeAsync(entries[$"{taskId}.flac"], "flac");
        long audioLength = JsonDocument.Parse(entries[$"{taskId}.extra"]).RootElement.GetProperty("audio_length").GetInt64();
        Assert.InRange(probe.DecodedDuration.TotalMilliseconds, audioLength - 50, audioLength + 50);
        Assert.InRange(probe.DecodedDuration.TotalSeconds, Characters / 25.0, Characters / 8.0);
    }
}
