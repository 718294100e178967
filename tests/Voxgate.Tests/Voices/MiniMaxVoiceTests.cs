using System.Net;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Voices;

/// <summary>
/// MiniMax's voice management over real HTTP: uploads judged by decoding, voice_clone's refusals, voice_design end to
/// end (designed, then spoken on the MiniMax and OpenAI surfaces, the SDK and a task), deletion, and each account's
/// voices kept from every other.
/// </summary>
[Collection(SecondApiCollection.Name)]
public class MiniMaxVoiceTests(VoxgateFactory factory)
{
    private const string Preview = "A short trial of the designed voice.";

    private async Task<(MiniMaxApi Api, HttpClient Client, string Key, string Name)> AccountAsync(string name, string dollars = "10.00")
    {
        name += "-" + Guid.NewGuid().ToString("N")[..8];
        string key = await factory.CreateKeyAsync(name, dollars);
        HttpClient client = factory.CreateClientWithKey(key);
        return (new MiniMaxApi(client), client, key, name);
    }

    private static async Task<string> DesignAsync(MiniMaxApi api, string prompt = "A warm, deep male narrator", string? voiceId = null)
    {
        JsonElement designed = MiniMaxApi.Ok(await api.PostAsync("voice_design", voiceId is null
            ? new { prompt, preview_text = Preview }
            : (object)new { prompt, preview_text = Preview, voice_id = voiceId }));
        return designed.GetProperty("voice_id").GetString()!;
    }

    private static long FileId(JsonElement upload) => upload.GetProperty("file").GetProperty("file_id").GetInt64();

    [Fact]
    public async Task RecordingUploadsAreJudgedByDecodingNotByName()
    {
        (MiniMaxApi api, _, _, _) = await AccountAsync("uploads");
        TimeSpan twelve = TimeSpan.FromSeconds(12);
        foreach ((string name, byte[] content) in new[]
        {
            ("voice.wav", Recordings.Wav(twelve)), ("voice.mp3", Recordings.Mp3(twelve)), ("voice.m4a", await Recordings.M4aAsync(twelve)),
        })
        {
            JsonElement file = MiniMaxApi.Ok(await api.UploadAsync(name, content, "voice_clone")).GetProperty("file");
            Assert.Equal("voice_clone", file.GetProperty("purpose").GetString());
            Assert.Equal(content.Length, file.GetProperty("bytes").GetInt64());
        }

        byte[] text = MiniMaxApi.Utf8(string.Concat(Enumerable.Repeat("Not a recording, only words. ", 3000)));
        JsonElement renamed = await api.UploadAsync("voice.mp3", text, "voice_clone");
        Assert.Equal(2013, MiniMaxApi.StatusCode(renamed));
        Assert.Contains("cannot be decoded", MiniMaxApi.StatusMessage(renamed));

        JsonElement tooShort = await api.UploadAsync("short.wav", Recordings.Wav(TimeSpan.FromSeconds(5)), "voice_clone");
        Assert.Equal(2013, MiniMaxApi.StatusCode(tooShort));
        Assert.Contains("at least 10 s", MiniMaxApi.StatusMessage(tooShort));

        JsonElement tooLong = await api.UploadAsync("long.mp3", Recordings.Encode(Speech.Encoders.AudioFormat.Mp3, new float[Recordings.Rate * 302]), "voice_clone");
        Assert.Equal(2013, MiniMaxApi.StatusCode(tooLong));
        Assert.Contains("at most 5 minutes", MiniMaxApi.StatusMessage(tooLong));

        Assert.Equal(0, MiniMaxApi.StatusCode(await api.UploadAsync("prompt.wav", Recordings.Wav(TimeSpan.FromSeconds(4)), "prompt_audio")));
        JsonElement longPrompt = await api.UploadAsync("prompt.wav", Recordings.Wav(TimeSpan.FromSeconds(9)), "prompt_audio");
        Assert.Equal(2013, MiniMaxApi.StatusCode(longPrompt));
        Assert.Contains("at most 8 s", MiniMaxApi.StatusMessage(longPrompt));

        // Only the recordings that passed were stored.
        JsonElement listed = MiniMaxApi.Ok(await api.GetAsync("files/list?purpose=voice_clone"));
        Assert.Equal(3, listed.GetProperty("files").GetArrayLength());
    }

    [Fact]
    public async Task VoiceCloneWithoutACloningModelIsRefusedNamingWhatToInstall()
    {
        (MiniMaxApi api, _, _, _) = await AccountAsync("clone");
        long fileId = FileId(MiniMaxApi.Ok(await api.UploadAsync("voice.wav", Recordings.Wav(TimeSpan.FromSeconds(12)), "voice_clone")));

        JsonElement refused = await api.PostAsync("voice_clone", new { file_id = fileId, voice_id = "MyClonedVoice1" });
        Assert.Equal(2038, MiniMaxApi.StatusCode(refused));
        Assert.Contains("voxgate models pull", MiniMaxApi.StatusMessage(refused));
        Assert.Contains("ZipVoice", MiniMaxApi.StatusMessage(refused));

        // The id's rules are checked first, whatever is installed.
        foreach (string bad in new[] { "short", "9Starts", "ends_", "has space" })
        {
            JsonElement invalid = await api.PostAsync("voice_clone", new { file_id = fileId, voice_id = bad });
            Assert.Equal(2013, MiniMaxApi.StatusCode(invalid));
            Assert.Contains("voice_id", MiniMaxApi.StatusMessage(invalid));
        }
        JsonElement noModel = await api.PostAsync("voice_clone", new { file_id = fileId, voice_id = "MyClonedVoice1", text = "Preview." });
        Assert.Equal(2013, MiniMaxApi.StatusCode(noModel));
        Assert.Contains("model is required", MiniMaxApi.StatusMessage(noModel));
        // Nothing was created and nothing charged.
        Assert.Equal(0, MiniMaxApi.Ok(await api.PostAsync("get_voice", new { voice_type = "voice_cloning" })).GetProperty("voice_cloning").GetArrayLength());
    }

    // Cloning end to end, with a cloning model installed: ClonedVoiceTests.

    [Fact]
    public async Task ARecordingUploadIsBoundedAt20Megabytes()
    {
        (MiniMaxApi api, _, _, _) = await AccountAsync("large");
        JsonElement refused = await api.UploadAsync("huge.wav", new byte[20_000_001], "voice_clone");
        Assert.Equal(2013, MiniMaxApi.StatusCode(refused));
        Assert.Contains("larger than 20,000,000 bytes", MiniMaxApi.StatusMessage(refused));
    }

    [Fact]
    public async Task ADesignedVoiceIsSpokenOnEverySurfaceAndItsTrialIsChargedOnce()
    {
        (MiniMaxApi api, HttpClient client, string key, string account) = await AccountAsync("design");
        WalletState before = await factory.WalletAsync(account);
        int usageBefore = (await factory.UsageRowsAsync(account)).Count;

        JsonElement designed = MiniMaxApi.Ok(await api.PostAsync("voice_design", new { prompt = "An old, deep-voiced man who speaks slowly", preview_text = Preview }));
        string voiceId = designed.GetProperty("voice_id").GetString()!;
        Assert.StartsWith("ttv-voice-", voiceId);
        byte[] trial = Convert.FromHexString(designed.GetProperty("trial_audio").GetString()!);
        ProbeResult probe = await AudioProbe.ProbeAsync(trial, "mp3");
        Assert.Equal("mp3", probe.Codec);
        Assert.True(probe.DecodedDuration > TimeSpan.FromSeconds(1), $"trial of {probe.DecodedDuration}");

        // The trial is billed like a t2a request of its text, once: one usage row, one charge.
        List<UsageRecord> usage = await factory.UsageRowsAsync(account);
        Assert.Equal(usageBefore + 1, usage.Count);
        long cost = Money.Cost(Preview.Length, 100_000); // speech-02-hd, the default preview model
        Assert.Equal(before.BalanceMicros - cost, (await factory.WalletAsync(account)).BalanceMicros);

        JsonElement listed = MiniMaxApi.Ok(await api.PostAsync("get_voice", new { voice_type = "all" }));
        JsonElement generation = Assert.Single(listed.GetProperty("voice_generation").EnumerateArray());
        Assert.Equal(voiceId, generation.GetProperty("voice_id").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", generation.GetProperty("created_time").GetString());
        Assert.Empty(listed.GetProperty("voice_cloning").EnumerateArray());
        string[] system = [.. listed.GetProperty("system_voice").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()!)];
        Assert.Contains("flite:slt", system);
        Assert.Contains("alloy", system);
        Assert.DoesNotContain(voiceId, system);

        // MiniMax t2a_v2 with the voice id.
        JsonElement spoken = MiniMaxApi.Ok(await api.PostAsync("t2a_v2", new
        {
            model = "speech-02-hd",
            text = "Spoken with a designed voice.",
            voice_setting = new { voice_id = voiceId },
            audio_setting = new { format = "wav", sample_rate = 24000 },
        }));
        Assert.True(spoken.GetProperty("extra_info").GetProperty("audio_length").GetInt32() > 500);

        // OpenAI's custom-voice object, raw.
        using (HttpResponseMessage speech = await client.PostSpeechAsync(new { model = "tts-1", input = "And on the OpenAI surface.", voice = new { id = voiceId }, response_format = "wav" }))
        {
            Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
            Assert.True((await speech.Content.ReadAsByteArrayAsync()).Length > 10_000);
        }
        // The official SDK sends the id as the voice name.
        BinaryData sdk = await factory.OpenAiAudio(key).GenerateSpeechAsync("Through the SDK.", new GeneratedSpeechVoice(voiceId),
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav });
        Assert.True(sdk.ToArray().Length > 10_000);

        // An asynchronous task resolves the voice when it runs.
        long taskId = MiniMaxApi.Ok(await api.PostAsync("t2a_async_v2", new
        {
            model = "speech-02-hd",
            text = "A task with the designed voice.",
            voice_setting = new { voice_id = voiceId },
            audio_setting = new { format = "mp3" },
        })).GetProperty("task_id").GetInt64();
        Assert.Equal("Success", (await api.WaitForTaskAsync(taskId, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());

        // OpenAI's list of the organisation's voices has it too.
        JsonElement openAi = await (await client.GetAsync("/v1/audio/voices")).JsonAsync();
        JsonElement voice = Assert.Single(openAi.GetProperty("data").EnumerateArray());
        Assert.Equal((voiceId, "audio.voice"), (voice.GetProperty("id").GetString(), voice.GetProperty("object").GetString()));
        await factory.AssertBooksSoundAsync();
    }

    [Fact]
    public async Task AnotherAccountsVoiceIsUnknownToSeeUseAndDelete()
    {
        (MiniMaxApi owner, _, _, _) = await AccountAsync("owner");
        (MiniMaxApi other, HttpClient otherClient, _, _) = await AccountAsync("other");
        string voiceId = await DesignAsync(owner, voiceId: "SharedName01");

        Assert.Empty(MiniMaxApi.Ok(await other.PostAsync("get_voice", new { voice_type = "voice_generation" })).GetProperty("voice_generation").EnumerateArray());
        JsonElement used = await other.PostAsync("t2a_v2", new { model = "speech-02-hd", text = "Not mine.", voice_setting = new { voice_id = voiceId } });
        Assert.Equal(20132, MiniMaxApi.StatusCode(used));
        using (HttpResponseMessage speech = await otherClient.PostSpeechAsync(new { model = "tts-1", input = "Not mine.", voice = new { id = voiceId } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, speech.StatusCode);
            Assert.Equal("voice", (await speech.ErrorAsync()).GetProperty("param").GetString());
        }
        JsonElement deleted = await other.PostAsync("delete_voice", new { voice_type = "voice_generation", voice_id = voiceId });
        Assert.Equal(20132, MiniMaxApi.StatusCode(deleted));
        using (HttpResponseMessage get = await otherClient.GetAsync($"/v1/audio/voices/{voiceId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }
        // The same id is the other account's to take: ids belong to accounts.
        Assert.Equal(voiceId, await DesignAsync(other, "a bright young woman", voiceId));
        Assert.Single(MiniMaxApi.Ok(await owner.PostAsync("get_voice", new { voice_type = "voice_generation" })).GetProperty("voice_generation").EnumerateArray());
    }

    [Fact]
    public async Task ADeletedVoiceIsGoneAndItsIdIsNeverReused()
    {
        (MiniMaxApi api, _, _, _) = await AccountAsync("delete");
        string voiceId = await DesignAsync(api, voiceId: "Deletable01");
        Assert.Equal(2039, MiniMaxApi.StatusCode(await api.PostAsync("voice_design", new { prompt = "again", preview_text = Preview, voice_id = voiceId })));

        JsonElement wrongType = await api.PostAsync("delete_voice", new { voice_type = "voice_cloning", voice_id = voiceId });
        Assert.Equal(20132, MiniMaxApi.StatusCode(wrongType));
        JsonElement deleted = MiniMaxApi.Ok(await api.PostAsync("delete_voice", new { voice_type = "voice_generation", voice_id = voiceId }));
        Assert.Equal(voiceId, deleted.GetProperty("voice_id").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", deleted.GetProperty("created_time").GetString());

        Assert.Equal(20132, MiniMaxApi.StatusCode(await api.PostAsync("t2a_v2", new { model = "speech-02-hd", text = "Gone.", voice_setting = new { voice_id = voiceId } })));
        Assert.Equal(20132, MiniMaxApi.StatusCode(await api.PostAsync("delete_voice", new { voice_type = "voice_generation", voice_id = voiceId })));
        JsonElement reused = await api.PostAsync("voice_design", new { prompt = "a new voice", preview_text = Preview, voice_id = voiceId });
        Assert.Equal(2039, MiniMaxApi.StatusCode(reused));
        Assert.Contains("never reused", MiniMaxApi.StatusMessage(reused));
    }

    [Fact]
    public async Task ADesignWhoseTrialCannotBePaidLeavesNoVoiceAndItsIdFree()
    {
        (MiniMaxApi api, _, _, _) = await AccountAsync("broke", dollars: "0.000001");
        JsonElement refused = await api.PostAsync("voice_design", new { prompt = "a calm woman", preview_text = Preview, voice_id = "PaidLater01" });
        Assert.Equal(1008, MiniMaxApi.StatusCode(refused));
        Assert.Empty(MiniMaxApi.Ok(await api.PostAsync("get_voice", new { voice_type = "voice_generation" })).GetProperty("voice_generation").EnumerateArray());
        JsonElement badType = await api.PostAsync("get_voice", new { voice_type = "everything" });
        Assert.Equal(2013, MiniMaxApi.StatusCode(badType));
    }
}
