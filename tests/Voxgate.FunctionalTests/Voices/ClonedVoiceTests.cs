using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Gateway.Billing;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Tests.Support;
using Voxgate.Tests.WebSocket;

namespace Voxgate.Tests.Voices;

/// <summary>An in-process server with the tiny Pocket TTS cloning model (<see cref="CloningModel"/>) installed before it starts.</summary>
public sealed class CloningFactory : VoxgateFactory
{
    public const string ModelId = CloningModel.Id;

    public CloningFactory() => CloningModel.Install(DataDirectory);

    public async Task WaitForModelAsync()
    {
        SherpaModels models = Services.GetRequiredService<SherpaModels>();
        await Eventually.HoldsAsync(() => models.Status.Any(s => s.Id == ModelId && s.Status == "loaded"),
            "the cloning model is verified and loaded", TimeSpan.FromSeconds(120), () => string.Join(", ", models.Status));
    }
}

/// <summary>
/// Cloning end to end with a real (tiny) cloning model: recordings uploaded, voices cloned with a billed preview,
/// each spoken on t2a_v2, the OpenAI surface, an asynchronous task and the WebSocket with its own recording, made through OpenAI's
/// custom voices too, kept from other accounts, deleted.
/// </summary>
public class ClonedVoiceTests(CloningFactory factory) : IClassFixture<CloningFactory>
{
    private const string Text = "Hello there. This voice was cloned from a recording.";

    private async Task<(MiniMaxApi Api, HttpClient Client, string Name, string Key)> AccountAsync(string name)
    {
        await factory.WaitForModelAsync();
        name += "-" + Guid.NewGuid().ToString("N")[..8];
        string key = await factory.CreateKeyAsync(name, "10.00");
        HttpClient client = factory.CreateClientWithKey(key);
        return (new MiniMaxApi(client), client, name, key);
    }

    /// <summary>A 12 s speech-like recording at <paramref name="gain"/> times the usual loudness, as WAV.</summary>
    private static byte[] Recording(float gain) => Recordings.Wav(TimeSpan.FromSeconds(12), gain);

    private static async Task<long> UploadAsync(MiniMaxApi api, float gain) =>
        MiniMaxApi.Ok(await api.UploadAsync("recording.wav", Recording(gain), "voice_clone")).GetProperty("file").GetProperty("file_id").GetInt64();

    private static object T2a(string voice) => new
    {
        model = "speech-02-hd",
        text = Text,
        voice_setting = new { voice_id = voice },
        audio_setting = new { format = "wav", sample_rate = 24000, channel = 1 },
    };

    [Fact]
    public async Task AClonedVoiceSpeaksWithItsOwnRecordingOnEverySurfaceAndStaysItsAccounts()
    {
        (MiniMaxApi api, HttpClient client, string account, string key) = await AccountAsync("cloner");
        WalletState before = await factory.WalletAsync(account);
        int usageBefore = (await factory.UsageRowsAsync(account)).Count;

        // Two voices from recordings five times apart in loudness; the quiet one with a billed preview.
        JsonElement quiet = MiniMaxApi.Ok(await api.PostAsync("voice_clone",
            new { file_id = await UploadAsync(api, 0.2f), voice_id = "QuietVoice01", text = "A short preview.", model = "speech-02-hd" }));
        Assert.False(string.IsNullOrEmpty(quiet.GetProperty("demo_audio").GetString()));
        MiniMaxApi.Ok(await api.PostAsync("voice_clone", new { file_id = await UploadAsync(api, 1.0f), voice_id = "LoudVoice001" }));
        Assert.Equal(usageBefore + 1, (await factory.UsageRowsAsync(account)).Count); // the preview, once; cloning itself is free
        Assert.Equal(before.BalanceMicros - Money.Cost("A short preview.".Length, 100_000), (await factory.WalletAsync(account)).BalanceMicros);

        JsonElement listed = MiniMaxApi.Ok(await api.PostAsync("get_voice", new { voice_type = "voice_cloning" }));
        Assert.Equal(["LoudVoice001", "QuietVoice01"], listed.GetProperty("voice_cloning").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()).Order());

        // t2a_v2: each voice as loud as its own recording.
        double quietT2a = await RmsAsync(HexAudio(MiniMaxApi.Ok(await api.PostAsync("t2a_v2", T2a("QuietVoice01")))), "wav");
        double loudT2a = await RmsAsync(HexAudio(MiniMaxApi.Ok(await api.PostAsync("t2a_v2", T2a("LoudVoice001")))), "wav");
        Assert.InRange(loudT2a / quietT2a, 3.5, 7);

        // The OpenAI surface, by name and in OpenAI's {"id": ...} form.
        double loudOpenAi = await RmsAsync(await SpeechAsync(client, "LoudVoice001"), "wav");
        double quietOpenAi = await RmsAsync(await SpeechAsync(client, new { id = "QuietVoice01" }), "wav");
        Assert.InRange(loudOpenAi / quietOpenAi, 3.5, 7);

        // An asynchronous task resolves the voice when it runs.
        JsonElement created = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", new
        {
            model = "speech-02-hd",
            text = Text,
            voice_setting = new { voice_id = "QuietVoice01" },
            audio_setting = new { audio_sample_rate = 24000, format = "flac", channel = 1 },
        }));
        long taskId = created.GetProperty("task_id").GetInt64();
        JsonElement done = await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(2));
        Assert.Equal("Success", done.GetProperty("status").GetString());
        using HttpResponseMessage content = await client.GetAsync($"/minimax/v1/files/retrieve_content?file_id={done.GetProperty("file_id").GetInt64()}");
        Dictionary<string, byte[]> entries = await MiniMaxApi.UntarAsync(await content.Content.ReadAsByteArrayAsync());
        double quietTask = await RmsAsync(entries[$"{taskId}.flac"], "flac");
        Assert.InRange(quietTask / quietT2a, 0.8, 1.25);

        // The WebSocket, whose text arrives in pieces.
        WebSocketClient connector = factory.Server.CreateWebSocketClient();
        connector.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + key;
        await using (MiniMaxSocketClient socket = MiniMaxSocketClient.Over(
            await connector.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/v1/t2a_v2"), CancellationToken.None)))
        {
            await socket.ExpectAsync("connected_success");
            await socket.SendAsync(new Dictionary<string, object>
            {
                ["event"] = "task_start", ["model"] = "speech-02-hd", ["voice_setting"] = new { voice_id = "QuietVoice01" },
                ["audio_setting"] = new { format = "flac", sample_rate = 24000 },
            });
            await socket.ExpectAsync("task_started");
            foreach (string piece in Text.Split(' '))
            {
                await socket.SendTextAsync(piece + " ");
            }
            await socket.SendAsync(new { @event = "task_finish" });
            List<JsonElement> events = await socket.ReceiveUntilEndAsync();
            Assert.Equal("task_finished", MiniMaxSocketClient.Event(events[^1]));
            double quietSocket = await RmsAsync([.. events.SelectMany(MiniMaxSocketClient.Audio)], "flac");
            Assert.InRange(quietSocket / quietT2a, 0.8, 1.25);
        }

        // Another account: the voice does not exist for it, to see, to speak or to delete.
        (MiniMaxApi other, HttpClient otherClient, _, _) = await AccountAsync("other");
        Assert.Equal(0, MiniMaxApi.Ok(await other.PostAsync("get_voice", new { voice_type = "all" })).GetProperty("voice_cloning").GetArrayLength());
        JsonElement foreign = await other.PostAsync("t2a_v2", T2a("LoudVoice001"));
        JsonElement unknown = await other.PostAsync("t2a_v2", T2a("NoSuchVoice01"));
        Assert.NotEqual(0, MiniMaxApi.StatusCode(foreign));
        Assert.Equal((MiniMaxApi.StatusCode(unknown), MiniMaxApi.StatusMessage(unknown).Replace("NoSuchVoice01", "X", StringComparison.Ordinal)),
            (MiniMaxApi.StatusCode(foreign), MiniMaxApi.StatusMessage(foreign).Replace("LoudVoice001", "X", StringComparison.Ordinal)));
        using (HttpResponseMessage refused = await otherClient.PostSpeechAsync(new { model = "tts-1", input = Text, voice = "LoudVoice001" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.NotEqual(0, MiniMaxApi.StatusCode(await other.PostAsync("delete_voice", new { voice_type = "voice_cloning", voice_id = "LoudVoice001" })));

        // Deleted: gone for its owner too, and its id cannot be taken again.
        MiniMaxApi.Ok(await api.PostAsync("delete_voice", new { voice_type = "voice_cloning", voice_id = "LoudVoice001" }));
        Assert.NotEqual(0, MiniMaxApi.StatusCode(await api.PostAsync("t2a_v2", T2a("LoudVoice001"))));
        Assert.NotEqual(0, MiniMaxApi.StatusCode(await api.PostAsync("voice_clone", new { file_id = await UploadAsync(api, 1.0f), voice_id = "LoudVoice001" })));
    }

    [Fact]
    public async Task AnOpenAiCustomVoiceIsMadeFromItsSampleAndSpokenByItsId()
    {
        (_, HttpClient client, _, _) = await AccountAsync("openai");
        using HttpResponseMessage consent = await client.PostAsync("/v1/audio/voice_consents",
            HttpJson.Form(("name", "Jane Doe"), ("language", "en-US"), ("recording", Recordings.Wav(TimeSpan.FromSeconds(6)))));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        string consentId = (await consent.JsonAsync()).GetProperty("id").GetString()!;

        // OpenAI's samples are normalised: a quiet sample still gives a voice at full loudness.
        using HttpResponseMessage created = await client.PostAsync("/v1/audio/voices",
            HttpJson.Form(("name", "Quiet sample"), ("consent", consentId), ("audio_sample", Recording(0.2f))));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        JsonElement voice = await created.JsonAsync();
        string id = voice.GetProperty("id").GetString()!;
        Assert.StartsWith("voice_", id);

        JsonElement list = await (await client.GetAsync("/v1/audio/voices")).JsonAsync();
        Assert.Equal(id, Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        byte[] audio = await SpeechAsync(client, new { id });
        ProbeResult probe = await AudioProbe.ProbeAsync(audio, "wav");
        Assert.True(probe.DecodedDuration > TimeSpan.FromSeconds(0.5), $"{probe.DecodedDuration}");
        // The tiny model speaks as loud as its reference's RMS; a normalised speech-like reference is far louder than
        // the quiet sample (RMS about 0.015).
        Assert.True(await RmsAsync(audio, "wav") > 0.1, "the sample was not normalised on its way to the engine");
    }

    private static async Task<byte[]> SpeechAsync(HttpClient client, object voice)
    {
        using HttpResponseMessage response = await client.PostSpeechAsync(new { model = "tts-1", input = Text, voice, response_format = "wav" });
        string body = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static byte[] HexAudio(JsonElement answer) => Convert.FromHexString(answer.GetProperty("data").GetProperty("audio").GetString()!);

    private static Task<double> RmsAsync(byte[] audio, string extension) => AudioProbe.SpeechRmsAsync(audio, extension);
}
