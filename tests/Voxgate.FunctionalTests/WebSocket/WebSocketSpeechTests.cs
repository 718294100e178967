using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Voxgate.Tests.Hostile;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebSocket;

/// <summary>A server whose WebSocket tasks idle out after 3 s and whose readers must keep up after a 2 s grace.</summary>
public sealed class WebSocketServer : ServerProcess
{
    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__WebSocket__IdleTimeout", "00:00:03"),
        new("Voxgate__Streaming__ReaderGracePeriod", "00:00:02"),
        new("Voxgate__Streaming__MinReaderSpeed", "1"),
    ];
}

public class WebSocketSpeechTests(WebSocketServer server) : IClassFixture<WebSocketServer>
{
    private const string Sentence1 = "The first sentence arrives a few characters at a time.";
    private const string Sentence2 = " Then a second one follows, while the first is already playing.";
    private const string Sentence3 = " And the third ends the text!";

    private static object Start(string voice = "flite:kal16", string format = "mp3", string model = "speech-02-hd") => new Dictionary<string, object>
    {
        ["event"] = "task_start",
        ["model"] = model,
        ["voice_setting"] = new { voice_id = voice, speed = 1 },
        ["audio_setting"] = new { format, sample_rate = 32000 },
    };

    [Fact]
    public async Task AudioOfTheFirstSentenceLeavesBeforeTheRestOfTheTextIsSentAndTheTaskIsOneContinuousFileChargedOnce()
    {
        string key = await server.CreateFundedKeyAsync("ws-stream", "5.00");
        long before = (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        await using MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, key);
        JsonElement connected = await client.ExpectAsync("connected_success");
        Assert.StartsWith("req_", connected.GetProperty("session_id").GetString());

        await client.SendAsync(Start());
        string traceId = (await client.ExpectAsync("task_started")).GetProperty("trace_id").GetString()!;
        var audio = new MemoryStream();
        // The first sentence token by token, then nothing more until its audio has come: the order proves the audio
        // did not wait for later text, or for task_finish.
        foreach (string token in Tokens.Of(Sentence1 + " Then"))
        {
            await client.SendTextAsync(token);
        }
        JsonElement first = await client.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("closed");
        Assert.Equal("task_continued", MiniMaxSocketClient.Event(first));
        Assert.Equal(traceId, first.GetProperty("trace_id").GetString());
        Assert.NotEmpty(MiniMaxSocketClient.Audio(first));
        Assert.Equal("mp3", first.GetProperty("extra_info").GetProperty("audio_format").GetString());
        audio.Write(MiniMaxSocketClient.Audio(first));

        foreach (string token in Tokens.Of(Sentence2[" Then".Length..] + Sentence3))
        {
            await client.SendTextAsync(token);
        }
        await client.SendAsync(new { @event = "task_finish" });
        List<JsonElement> events = await client.ReceiveUntilEndAsync();
        Assert.Equal("task_finished", MiniMaxSocketClient.Event(events[^1]));
        List<JsonElement> continued = [.. events.Where(e => MiniMaxSocketClient.Event(e) == "task_continued")];
        Assert.True(continued.Count >= 2, $"{continued.Count} audio events after the first");
        Assert.True(continued[^1].GetProperty("is_final").GetBoolean());
        foreach (JsonElement e in continued)
        {
            audio.Write(MiniMaxSocketClient.Audio(e));
        }

        // One MP3 stream across every event: it decodes to the end, as long as the same text synthesised at once.
        ProbeResult probe = await AudioProbe.ProbeAsync(audio.ToArray(), "mp3");
        Assert.Equal("mp3", probe.Codec);
        Assert.Equal(32000, probe.SampleRate);
        using HttpClient http = server.Client().WithKey(key);
        JsonElement whole = MiniMaxApi.Ok(await new MiniMaxApi(http).PostAsync("t2a_v2", new
        {
            model = "speech-02-hd", text = Sentence1 + Sentence2 + Sentence3, voice_setting = new { voice_id = "flite:kal16" },
            audio_setting = new { format = "mp3", sample_rate = 32000 },
        }));
        double expected = whole.GetProperty("extra_info").GetProperty("audio_length").GetInt64() / 1000.0;
        Assert.InRange(probe.DecodedDuration.TotalSeconds, expected * 0.9, expected * 1.3);

        // Charged once, for exactly the characters sent, with one usage row; nothing held afterwards.
        int characters = (Sentence1 + Sentence2 + Sentence3).Length;
        Assert.Equal(characters, events[^1].GetProperty("extra_info").GetProperty("usage_characters").GetInt32());
        await Eventually.HoldsAsync(async () => (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0, "the task's hold is released");
        List<JsonElement> charges = await server.ChargesAsync("ws-stream", traceId);
        Assert.Single(charges);
        long cost = (characters * 100_000L + 999) / 1000; // speech-02-hd: $0.10 per 1K characters, rounded up
        Assert.Equal(-cost, charges[0].GetProperty("amount_micros").GetInt64());
        long whole_cost = ((Sentence1 + Sentence2 + Sentence3).Length * 100_000L + 999) / 1000;
        long after = (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        Assert.Equal(before - cost - whole_cost, after);
        JsonElement usage = await server.UsageAsync(key);
        Assert.Equal(2, usage.GetProperty("total").GetProperty("requests").GetInt32()); // the task and the t2a_v2 request
        Assert.Equal(2 * characters, usage.GetProperty("total").GetProperty("characters").GetInt32());
        Assert.Empty(await server.AuditFindingsAsync());
    }

    [Fact]
    public async Task TextWithoutAFinalFullStopIsSpokenAfterAQuietSpellAndMarkedFinal()
    {
        // As MiniMax's own example does: the whole text in one task_continue, then wait for is_final before task_finish.
        await using MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, server.ApiKey, "ws/v1/t2a_v2");
        await client.ExpectAsync("connected_success");
        await client.SendAsync(Start(format: "pcm"));
        await client.ExpectAsync("task_started");
        await client.SendTextAsync("Hello from a client that sends everything at once, with no full stop");
        var audio = new MemoryStream();
        while (true)
        {
            JsonElement e = await client.ExpectAsync("task_continued");
            audio.Write(MiniMaxSocketClient.Audio(e));
            if (e.GetProperty("is_final").GetBoolean())
            {
                break;
            }
        }
        await client.SendAsync(new { @event = "task_finish" });
        List<JsonElement> rest = await client.ReceiveUntilEndAsync();
        Assert.Equal("task_finished", MiniMaxSocketClient.Event(rest[^1]));
        foreach (JsonElement e in rest)
        {
            audio.Write(MiniMaxSocketClient.Audio(e));
        }
        Assert.True(audio.Length > 32000 * 2, $"{audio.Length} bytes of 32 kHz PCM");
        Assert.Equal(0, audio.Length % 2);
    }

    [Fact]
    public async Task AClientThatClosesAsSoonAsTheTaskFinishesGetsACleanClose()
    {
        // The server once cancelled its own last send when the close came first, which aborted the connection.
        for (int i = 0; i < 10; i++)
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + server.ApiKey);
            await socket.ConnectAsync(MiniMaxSocketClient.Address(server.BaseAddress), CancellationToken.None);
            MiniMaxSocketClient client = MiniMaxSocketClient.Over(socket);
            await client.ExpectAsync("connected_success");
            await client.SendAsync(Start());
            await client.ExpectAsync("task_started");
            await client.SendTextAsync("Short and sweet.");
            await client.SendAsync(new { @event = "task_finish" });
            Assert.Equal("task_finished", MiniMaxSocketClient.Event((await client.ReceiveUntilEndAsync())[^1]));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        }
    }

    [Theory]
    [InlineData("no-such-voice", "mp3", "speech-02-hd", 20132)]
    [InlineData("flite:kal16", "wav", "speech-02-hd", 2013)]
    [InlineData("flite:kal16", "mp3", "no-such-model", 2013)]
    public async Task AnInvalidTaskStartFailsWithMiniMaxsCode(string voice, string format, string model, int code)
    {
        await using MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, server.ApiKey);
        await client.ExpectAsync("connected_success");
        await client.SendAsync(Start(voice, format, model));
        JsonElement failed = await client.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("closed");
        Assert.Equal("task_failed", MiniMaxSocketClient.Event(failed));
        Assert.Equal(code, MiniMaxSocketClient.StatusCode(failed));
        Assert.Null(await client.ReceiveAsync()); // and the connection closes
    }

    [Fact]
    public async Task ProtocolErrorsFailWith2013()
    {
        foreach (object message in new object[] { new { @event = "task_continue", text = "No task yet." }, new { @event = "dance" }, "not an object" })
        {
            await using MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, server.ApiKey);
            await client.ExpectAsync("connected_success");
            await client.SendAsync(message);
            JsonElement failed = await client.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("closed");
            Assert.Equal(("task_failed", 2013), (MiniMaxSocketClient.Event(failed), MiniMaxSocketClient.StatusCode(failed)));
        }
        // A message over the bound is refused without being read whole.
        await using MiniMaxSocketClient large = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, server.ApiKey);
        await large.ExpectAsync("connected_success");
        await large.SendTextAsync(new string('a', 400_000));
        JsonElement tooLarge = await large.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("closed");
        Assert.Equal(2013, MiniMaxSocketClient.StatusCode(tooLarge));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, (await CloseStatusAsync(large)));
    }

    [Fact]
    public async Task TextTheWalletCannotCoverFailsTheTaskWith1008AndChargesOnlyWhatWasSpoken()
    {
        // $0.01 covers 100 characters of speech-02-hd: the first sentence (54), not the second.
        string key = await server.CreateFundedKeyAsync("ws-poor", "0.0105");
        long before = (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        await using MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, key);
        await client.ExpectAsync("connected_success");
        await client.SendAsync(Start());
        string traceId = (await client.ExpectAsync("task_started")).GetProperty("trace_id").GetString()!;
        await client.SendTextAsync(Sentence1 + " ");
        // The first sentence comes in two events (its head is cut short); the last says it is all there.
        JsonElement continued;
        do
        {
            continued = await client.ExpectAsync("task_continued");
            Assert.NotEmpty(MiniMaxSocketClient.Audio(continued));
        }
        while (!continued.GetProperty("is_final").GetBoolean());
        await client.SendTextAsync(Sentence2.TrimStart() + " ");
        List<JsonElement> events = await client.ReceiveUntilEndAsync();
        JsonElement failed = events[^1];
        Assert.Equal(("task_failed", 1008), (MiniMaxSocketClient.Event(failed), MiniMaxSocketClient.StatusCode(failed)));

        await Eventually.HoldsAsync(async () => (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0, "the hold is released");
        long charged = before - (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        Assert.Equal((Sentence1.Length + 1) * 100L, charged); // what was spoken and sent, and nothing of the refused text
        Assert.Single(await server.ChargesAsync("ws-poor", traceId));
        Assert.Empty(await server.AuditFindingsAsync());
    }

    [Fact]
    public async Task AnUnauthenticatedUpgradeIsRefusedBeforeUpgradingInMiniMaxsFormat()
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer sk-vg-nonsense");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(MiniMaxSocketClient.Address(server.BaseAddress), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);

        using HttpClient http = server.Client();
        var upgrade = new HttpRequestMessage(HttpMethod.Get, "minimax/ws/v1/t2a_v2");
        upgrade.Headers.Add("Connection", "Upgrade");
        upgrade.Headers.Add("Upgrade", "websocket");
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        HttpResponseMessage refused = await http.SendAsync(upgrade);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        JsonElement body = await refused.JsonAsync();
        Assert.Equal(1004, body.GetProperty("base_resp").GetProperty("status_code").GetInt32());

        // A plain GET with a key is told to speak WebSocket.
        HttpResponseMessage plain = await server.Client().WithKey(server.ApiKey).GetAsync("minimax/ws/v1/t2a_v2");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal(2013, (await plain.JsonAsync()).GetProperty("base_resp").GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task AClientThatVanishesMidTaskReleasesItsHoldAndPlaceAndPaysForWhatItWasSent()
    {
        using HttpClient admin = server.AdminClient();
        Assert.True((await admin.PostAsync("admin/accounts", HttpJson.Body(new { name = "ws-single", concurrent_requests = 1 }))).IsSuccessStatusCode);
        string key = await server.CreateFundedKeyAsync("ws-single", "5.00");
        long before = (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, key);
        await client.ExpectAsync("connected_success");
        await client.SendAsync(Start());
        await client.ExpectAsync("task_started");
        // Far more audio than socket buffers hold (about 10 minutes of mp3, twice that as hex), so some is never sent.
        string text = string.Concat(Enumerable.Repeat("This sentence is one of many in a long text. ", 200));
        await client.SendTextAsync(text);
        await client.ExpectSpokenAsync();
        Assert.True((await server.WalletAsync(key)).GetProperty("held_micros").GetInt64() > 0);

        // While it runs, its account's only place is taken.
        await using (MiniMaxSocketClient second = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, key))
        {
            await second.ExpectAsync("connected_success");
            await second.SendAsync(Start());
            JsonElement refused = await second.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("closed");
            Assert.Equal(1041, MiniMaxSocketClient.StatusCode(refused));
        }

        client.Socket.Abort(); // gone without a word
        await client.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0, "the hold is released");
        long charged = before - (await server.WalletAsync(key)).GetProperty("balance_micros").GetInt64();
        Assert.InRange(charged, 1, text.Length * 100L - 1);
        JsonElement usage = await server.UsageAsync(key);
        Assert.Equal(charged, usage.GetProperty("total").GetProperty("cost_micros").GetInt64());

        // The place is back: a new task starts.
        await using MiniMaxSocketClient again = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, key);
        await again.ExpectAsync("connected_success");
        await again.SendAsync(Start());
        await again.ExpectAsync("task_started");
        Assert.Empty(await server.AuditFindingsAsync());
    }

    [Fact]
    public async Task AClientThatNeverReadsIsDroppedAndItsTaskSettled()
    {
        string key = await server.CreateFundedKeyAsync("ws-deaf", "50.00");
        MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, key);
        await client.SendAsync(Start(format: "pcm"));
        // Far more audio than socket buffers hold (minutes of 32 kHz PCM, twice that as hex), and never a read.
        for (int i = 0; i < 2; i++)
        {
            await client.SendTextAsync(string.Concat(Enumerable.Repeat("A client that never reads its audio is dropped. ", 150)));
        }
        await client.SendAsync(new { @event = "task_finish" });
        // Dropped (by the pace it must keep, or by Kestrel's own minimum response rate, whichever comes first): its
        // task is settled as cancelled, charged only for the little audio that reached its socket buffers.
        await Eventually.HoldsAsync(async () => (await server.UsageAsync(key)).GetProperty("total").GetProperty("requests").GetInt32() == 1,
            "the deaf client's task is settled", context: () => server.Output);
        Assert.Equal(0, (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64());
        long charged = (await server.UsageAsync(key)).GetProperty("total").GetProperty("cost_micros").GetInt64();
        Assert.InRange(charged, 1, 2 * 7200 * 100L / 2);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Aborted, await DrainAsync(client));
        await client.DisposeAsync();
        Assert.Empty(await server.AuditFindingsAsync());
    }

    [Fact]
    public async Task AnIdleTaskTimesOutWith1001()
    {
        await using MiniMaxSocketClient client = await MiniMaxSocketClient.ConnectAsync(server.BaseAddress, server.ApiKey);
        await client.ExpectAsync("connected_success");
        await client.SendAsync(Start());
        await client.ExpectAsync("task_started");
        JsonElement failed = await client.ReceiveAsync(TimeSpan.FromSeconds(30)) ?? throw new Xunit.Sdk.XunitException("closed");
        Assert.Equal(("task_failed", 1001), (MiniMaxSocketClient.Event(failed), MiniMaxSocketClient.StatusCode(failed)));
    }

    [Fact]
    public async Task DebiansPythonWebsocketsClientSpeaksTheProtocolToo()
    {
        string output = Path.Combine(Path.GetTempPath(), $"voxgate-ws-{Guid.NewGuid():N}.mp3");
        try
        {
            var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WebSocket", "minimax_ws_client.py"));
            info.ArgumentList.Add(MiniMaxSocketClient.Address(server.BaseAddress, "ws/v1/t2a_v2").ToString());
            info.ArgumentList.Add(output);
            info.Environment["MINIMAX_API_KEY"] = server.ApiKey;
            using Process python = Process.Start(info)!;
            Task<string> errors = python.StandardError.ReadToEndAsync();
            string report = await python.StandardOutput.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, $"python client failed: {await errors}\n{report}");
            JsonElement summary = JsonDocument.Parse(report).RootElement;
            Assert.Equal("connected_success,task_started", summary.GetProperty("opening").GetString());
            Assert.True(summary.GetProperty("audio_before_last_text").GetBoolean());
            Assert.Equal("task_finished", summary.GetProperty("last").GetString());
            ProbeResult probe = await AudioProbe.ProbeFileAsync(output, []);
            Assert.Equal("mp3", probe.Codec);
            Assert.True(probe.DecodedDuration > TimeSpan.FromSeconds(3), probe.DecodedDuration.ToString());
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Reads what is left until the connection ends; its state then.</summary>
    private static async Task<WebSocketState> DrainAsync(MiniMaxSocketClient client)
    {
        try
        {
            while (await client.ReceiveAsync(TimeSpan.FromSeconds(30)) is not null)
            {
            }
        }
        catch (WebSocketException)
        {
        }
        return client.Socket.State;
    }

    private static async Task<WebSocketCloseStatus?> CloseStatusAsync(MiniMaxSocketClient client)
    {
        while (await client.ReceiveAsync() is not null)
        {
        }
        return client.Socket.CloseStatus;
    }
}
