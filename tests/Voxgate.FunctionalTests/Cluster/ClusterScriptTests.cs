using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Cluster;

/// <summary>
/// scripts/cluster.sh as an operator tries it: two nodes on PostgreSQL and Redis behind nginx (deploy/nginx), reached
/// through nginx's socket, and stopped without leaving anything running.
/// </summary>
public class ClusterScriptTests
{
    [Fact]
    public async Task TwoNodesServeInTurnStreamPastNginxUnbufferedAndStopLeavesNothingRunning()
    {
        var cluster = new TryOutCluster();
        try
        {
            await cluster.StartAsync();
            Assert.Equal(0, (await cluster.RunScriptAsync("status")).ExitCode);
            IReadOnlyDictionary<string, int> running = cluster.RunningParts();
            Assert.Equal(["nginx", "node-1", "node-2", "postgres", "redis"], running.Keys.Order());

            await AssertBothNodesAnswerInTurnAsync(cluster);
            await AssertSpeechStreamsPastNginxAsync(cluster);

            await cluster.StopAsync();
            foreach ((string part, int pid) in running)
            {
                Assert.False(cluster.IsOurs(pid), $"{part} (pid {pid}) still runs after stop");
            }
            Assert.False(File.Exists(cluster.NginxSocket), "nginx's socket is left after stop");
            Assert.Equal(3, (await cluster.RunScriptAsync("status")).ExitCode);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
        Assert.False(Directory.Exists(cluster.Directory));
    }

    /// <summary>nginx takes the nodes round-robin: /readyz names both within a few requests, each on the shared database.</summary>
    private static async Task AssertBothNodesAnswerInTurnAsync(TryOutCluster cluster)
    {
        using HttpClient client = cluster.Client();
        var answered = new HashSet<string>();
        for (int i = 0; i < 10 && answered.Count < 2; i++)
        {
            HttpResponseMessage ready = await client.GetAsync("readyz");
            JsonElement body = await ready.JsonAsync();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal("postgres", body.GetProperty("database").GetProperty("provider").GetString());
            answered.Add(body.GetProperty("node").GetString()!);
        }
        Assert.Equal(cluster.Nodes, answered.Order());
    }

    /// <summary>
    /// The audio comes as the node sends it, and a reader that pauses holds the node back (its request is still in
    /// flight, its hold still set) instead of nginx taking the whole answer into a buffer. The audio decodes, and the
    /// request is settled once in the shared database.
    /// </summary>
    private static async Task AssertSpeechStreamsPastNginxAsync(TryOutCluster cluster)
    {
        string key = await cluster.CreateFundedKeyAsync("cluster-stream", "10.00");
        // About 50 s of WAV: 2.5 MB, several times what the buffers on the way (sockets, Kestrel, nginx's one buffer,
        // the client's) hold, yet synthesised in a few seconds.
        string text = string.Join(" ", Enumerable.Range(1, 12).Select(i => $"This is sentence number {i}, spoken by a node behind nginx."));
        using HttpClient speaker = cluster.Client(TimeSpan.FromMinutes(3)).WithKey(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
        {
            Content = HttpJson.Body(new { model = "tts-1", input = text, voice = "alloy", response_format = "wav" }),
        };
        using HttpResponseMessage response = await speaker.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}"); // read only then: reading takes the whole stream
        }
        await using Stream body = await response.Content.ReadAsStreamAsync();
        using var audio = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        int read = await body.ReadAsync(buffer);
        Assert.True(read > 0, "no audio arrived");
        audio.Write(buffer, 0, read);

        // Long enough for the node to synthesise everything (so an nginx that buffered would have taken it all and let
        // the request end), short of the node's limit for a write its reader does not take (10 s of grace, and more).
        await Task.Delay(TimeSpan.FromSeconds(7));
        JsonElement paused = await cluster.WalletAsync(key);
        Assert.True(paused.GetProperty("held_micros").GetInt64() > 0,
            $"the request ended while its reader paused after {audio.Length} bytes, so nginx buffered the answer: {paused}\n{cluster.LogTails()}");

        int reads = 1;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            audio.Write(buffer, 0, read);
            reads++;
        }
        Assert.True(reads > 1, "the audio came in one piece");
        ProbeResult probe = await AudioProbe.ProbeAsync(audio.ToArray(), "wav");
        Assert.Equal("pcm_s16le", probe.Codec);
        Assert.True(probe.DecodedDuration > TimeSpan.FromSeconds(20), $"only {probe.DecodedDuration} of audio");

        await Eventually.HoldsAsync(async () => (await cluster.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0,
            "the stream's hold is released once it is settled");
        Assert.Single(await cluster.ChargesAsync("cluster-stream"));
    }
}
