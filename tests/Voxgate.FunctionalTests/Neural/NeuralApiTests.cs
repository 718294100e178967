using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Audio;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

/// <summary>
/// A server whose data directory holds five installed models before it starts: the Kokoro-shaped test model (engine
/// <c>kokoro</c>, so the catalog's tts-1-hd prefers it), Kitten- and Matcha-shaped ones, a Piper-shaped voice, and a
/// corrupted model. The server verifies each in a child process and loads the four that survive.
/// </summary>
public sealed class NeuralFactory : VoxgateFactory
{
    public NeuralFactory()
    {
        string models = Path.Combine(DataDirectory, "models");
        Install(NeuralModels.WriteKokoro(Path.Combine(models, "kokoro-test")), "kokoro-test", "kokoro");
        Install(NeuralModels.WritePiper(Path.Combine(models, "piper-test")), "piper-test", "piper-test");
        Install(NeuralModels.WriteKitten(Path.Combine(models, "kitten-test")), "kitten-test", "kitten");
        Install(NeuralModels.WriteMatcha(Path.Combine(models, "matcha-test")), "matcha-test", "matcha");
        string broken = NeuralModels.WritePiper(Path.Combine(models, "broken-voice"));
        NeuralModels.Corrupt(Path.Combine(broken, "model.onnx"));
        Install(broken, "broken-voice", "broken-voice");
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Models:MaxConcurrentPerModel", "2")];

    private static void Install(string directory, string id, string engine) =>
        ModelLayout.Describe(directory, id, new KnownModel { Id = id, Engine = engine, Url = "file:///" }, directory).Save(directory);

    /// <summary>Waits until the server has verified every model and loaded the good ones.</summary>
    public async Task<IReadOnlyList<ModelStatus>> WaitForModelsAsync()
    {
        SherpaModels models = Services.GetRequiredService<SherpaModels>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            IReadOnlyList<ModelStatus> status = models.Status;
            if (status.Count == 5 && status.All(s => s.Status is "loaded" or "broken" or "failed"))
            {
                return status;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the models were not ready: {string.Join(", ", models.Status)}");
    }
}

[CollectionDefinition(Name)]
public sealed class NeuralCollection : ICollectionFixture<NeuralFactory>
{
    public const string Name = "neural";
}

[Collection(NeuralCollection.Name)]
public class NeuralApiTests(NeuralFactory factory) : IAsyncLifetime
{
    private const double KokoroSecondsPerToken = OnnxModelWriter.KokoroSamplesPerToken / 24000.0;

    public async Task InitializeAsync() => await factory.WaitForModelsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheModelsSpeakersAreVoicesWithLanguageAndGenderAndTheBrokenModelIsReported()
    {
        JsonElement voices = await (await factory.CreateClient().GetAsync("/v1/voices?engine=kokoro")).JsonAsync();
        var listed = voices.GetProperty("data").EnumerateArray()
            .Select(v => (v.GetProperty("id").GetString(), v.GetProperty("language").GetString(), v.GetProperty("gender").GetString())).ToList();
        Assert.Equal([("kokoro:af_alloy", "en-us", "female"), ("kokoro:af_heart", "en-us", "female"), ("kokoro:am_echo", "en-us", "male"), ("kokoro:bf_emma", "en-gb", "female")], listed);

        JsonElement ready = await (await factory.CreateClient().GetAsync("/readyz")).JsonAsync();
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Dictionary<string, JsonElement> models = ready.GetProperty("neural_models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal("loaded", models["kokoro-test"].GetProperty("status").GetString());
        Assert.True(models["kokoro-test"].GetProperty("memory_bytes").GetInt64() >= 0);
        Assert.Equal("broken", models["broken-voice"].GetProperty("status").GetString());
        Assert.Contains("SIGABRT", models["broken-voice"].GetProperty("problem").GetString());
        Assert.Contains(ready.GetProperty("failures").EnumerateArray(), f => f.GetProperty("engine").GetString() == "broken-voice");
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData("opus")]
    [InlineData("aac")]
    [InlineData("flac")]
    [InlineData("wav")]
    [InlineData("pcm")]
    public async Task EveryFormatThroughTheSdkLastsAsLongAsTheTokensSay(string format)
    {
        const string text = "The quick brown fox jumps over the lazy dog.";
        AudioClient audio = factory.OpenAiAudio(factory.ApiKey);
        BinaryData speech = await audio.GenerateSpeechAsync(text, new GeneratedSpeechVoice("kokoro:af_heart"),
            new SpeechGenerationOptions { ResponseFormat = new GeneratedSpeechFormat(format) });

        ProbeResult probe = await AudioProbe.ProbeAsync(speech.ToArray(), format);
        double expected = ExpectedKokoroTokens(text) * KokoroSecondsPerToken;
        Assert.InRange(probe.DecodedDuration.TotalSeconds, expected * 0.8, expected * 1.2 + 0.2);
    }

    [Fact]
    public async Task DurationFollowsTheTextAndTheNativeSpeed()
    {
        const string sentence = "Neural voices read every sentence they are given.";
        double once = await DurationAsync(new { model = "tts-1", input = sentence, voice = "kokoro:am_echo", response_format = "wav" });
        double twice = await DurationAsync(new { model = "tts-1", input = $"{sentence} {sentence}", voice = "kokoro:am_echo", response_format = "wav" });
        double fast = await DurationAsync(new { model = "tts-1", input = $"{sentence} {sentence}", voice = "kokoro:am_echo", response_format = "wav", speed = 2.0 });
        double piper = await DurationAsync(new { model = "tts-1", input = sentence, voice = "piper-test:default", response_format = "wav" });

        Assert.InRange(twice / once, 1.85, 2.15);
        Assert.InRange(fast / twice, 0.45, 0.55); // the model's own length scale, not a time-stretch
        double piperExpected = (2 + 2 * ExpectedPhonemes(sentence)) * OnnxModelWriter.PiperSamplesPerToken / 22050.0;
        Assert.InRange(piper, piperExpected * 0.8, piperExpected * 1.2 + 0.2);
    }

    [Fact]
    public async Task BlendsMixTheSpeakersStyleVectorsByWeight()
    {
        // Each test speaker is a tone as loud as its style vector's first value, so a blend is heard as the weighted mean.
        Assert.Equal(0.2, await PeakAsync(new { model = "tts-1", input = "One voice.", voice = "af_heart", response_format = "wav" }), 2);
        Assert.Equal(0.25, await PeakAsync(new { model = "tts-1", input = "Two voices.", voice = "af_alloy(1)+am_echo(1)", response_format = "wav" }), 2);
        Assert.Equal(0.375, await PeakAsync(new { model = "tts-1", input = "Three voices.", voice = "af_alloy(1)+bf_emma(2)+af_heart(1)", response_format = "wav" }), 2);

        JsonElement minimax = MiniMaxApi.Ok(await new MiniMaxApi(factory.CreateClient()).PostAsync("t2a_v2", new
        {
            model = "speech-02-hd",
            text = "Weighted timbres.",
            timber_weights = new[] { new { voice_id = "kokoro:af_heart", weight = 30 }, new { voice_id = "kokoro:bf_emma", weight = 10 } },
            audio_setting = new { format = "wav", sample_rate = 24000 },
        }));
        Assert.Equal(0.3, Peak(Convert.FromHexString(minimax.GetProperty("data").GetProperty("audio").GetString()!)), 2);

        HttpResponseMessage refused = await factory.CreateClient().PostSpeechAsync(new { model = "tts-1", input = "No.", voice = "piper-test:default(1)+flite:slt(1)" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("cannot mix voices", (await refused.ErrorAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task KittenModelsSpeakAndBlendTheirOneStyleVectorPerSpeaker()
    {
        JsonElement voices = await (await factory.CreateClient().GetAsync("/v1/voices?engine=kitten")).JsonAsync();
        Assert.Equal([("kitten:expr-voice-2-f", "female"), ("kitten:expr-voice-3-m", "male")],
            voices.GetProperty("data").EnumerateArray().Select(v => (v.GetProperty("id").GetString(), v.GetProperty("gender").GetString())));

        Assert.Equal(0.45, await PeakAsync(new { model = "tts-1", input = "A kitten speaks.", voice = "kitten:expr-voice-3-m", response_format = "wav" }), 2);
        Assert.Equal(0.25, await PeakAsync(new { model = "tts-1", input = "Two kittens.", voice = "expr-voice-2-f(2)+expr-voice-3-m(1)", response_format = "wav" }), 2);
        const string text = "Kitten voices read every word they are given.";
        double seconds = await DurationAsync(new { model = "tts-1", input = text, voice = "kitten:expr-voice-2-f", response_format = "wav" });
        Assert.InRange(seconds, 0.5, 3);
    }

    [Fact]
    public async Task MatchaModelsSpeakThroughTheirVocoder()
    {
        const string text = "Matcha voices need a vocoder.";
        double once = await DurationAsync(new { model = "tts-1", input = text, voice = "matcha:default", response_format = "wav" });
        double fast = await DurationAsync(new { model = "tts-1", input = text, voice = "matcha", response_format = "wav", speed = 2.0 });
        // sherpa-onnx puts a blank between Matcha's phonemes (2P + 1 tokens); frames = tokens × 4, samples = frames × 256.
        double expected = (2 * ExpectedPhonemes(text) + 1) * OnnxModelWriter.MatchaFramesPerToken * OnnxModelWriter.VocoderHop / 22050.0;
        Assert.InRange(once, expected * 0.8, expected * 1.2 + 0.2);
        Assert.InRange(fast / once, 0.4, 0.6);
    }

    [Fact]
    public async Task TheHdModelPrefersKokoroWhenItIsInstalled()
    {
        HttpResponseMessage hd = await factory.CreateClient().PostSpeechAsync(new { model = "tts-1-hd", input = "Premium.", voice = "alloy" });
        HttpResponseMessage standard = await factory.CreateClient().PostSpeechAsync(new { model = "tts-1", input = "Standard.", voice = "alloy" });
        Assert.Equal("kokoro:af_alloy", hd.Headers.GetValues("x-voxgate-voice").Single());
        Assert.Equal("flite:slt", standard.Headers.GetValues("x-voxgate-voice").Single());
        JsonElement model = await (await factory.CreateClient().GetAsync("/v1/models/tts-1-hd")).JsonAsync();
        Assert.Equal("kokoro", model.GetProperty("route").GetProperty("engine").GetString());
    }

    [Fact]
    public async Task EachSentenceIsHandedOverAsTheModelFinishesIt()
    {
        var engine = (SherpaEngine)factory.Services.GetRequiredService<SpeechEngineRegistry>().Engines.Single(e => e.Name == "kokoro");
        string[] sentences = ["First one.", "The second sentence is longer than the first.", "Third.", "And a fourth to end with."];
        var chunks = new List<int>();
        await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(string.Join(" ", sentences), engine.Voices[0]), CancellationToken.None))
        {
            chunks.Add(chunk.Samples.Length);
        }
        Assert.Equal(sentences.Length, chunks.Count); // one hand-over per sentence, through sherpa-onnx's callback
        Assert.All(chunks, length => Assert.Equal(0, length % OnnxModelWriter.KokoroSamplesPerToken));
        Assert.True(chunks[1] > chunks[0] && chunks[1] > chunks[2], $"chunk lengths should follow the sentences: {string.Join(", ", chunks)}");
    }

    [Fact]
    public async Task TextLongerThanTheModelsTokenLimitIsSpokenInPiecesNotAbortingTheProcess()
    {
        // sherpa-onnx 1.13.8 aborts the process when a Kokoro chunk reaches the model's token limit (256 here): a
        // 1,200-character run-on sentence would do that in one call.
        var engine = (SherpaEngine)factory.Services.GetRequiredService<SpeechEngineRegistry>().Engines.Single(e => e.Name == "kokoro");
        string runOn = string.Join(" ", Enumerable.Repeat("and then the river kept on flowing past the quiet village", 22));
        long samples = 0;
        await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(runOn, engine.Voices[0]), CancellationToken.None))
        {
            samples += chunk.Samples.Length;
        }
        double seconds = samples / 24000.0;
        double expected = (ExpectedPhonemes(runOn) + 2 * 10) * KokoroSecondsPerToken;
        Assert.InRange(seconds, expected * 0.8, expected * 1.25);

        // Characters without spaces between them, which an English voice spells out at length: cut between characters.
        string cjk = string.Concat(Enumerable.Repeat("我们处理数据并且说出很长的句子", 12));
        long cjkSamples = 0;
        await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(cjk, engine.Voices[0]), CancellationToken.None))
        {
            cjkSamples += chunk.Samples.Length;
        }
        Assert.True(cjkSamples > 0);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task NoMoreGenerationsRunAtOnceThanTheModelAllows()
    {
        var engine = (SherpaEngine)factory.Services.GetRequiredService<SpeechEngineRegistry>().Engines.Single(e => e.Name == "kokoro");
        string text = string.Concat(Enumerable.Range(1, 150).Select(i => $"Sentence number {i} of a long paragraph. "));
        IAsyncEnumerator<PcmChunk>[] streams = [.. Enumerable.Range(0, 6)
            .Select(_ => engine.SynthesizeAsync(new EngineRequest(text, engine.Voices[1]), CancellationToken.None).GetAsyncEnumerator())];
        // Six asked for at once, from this thread: each first step runs here up to its first wait, so the first two
        // take the model's two slots back to back (a generation of this text lasts far longer than that) and the
        // other four wait for a slot. Started from pool threads instead, a busy pool could run them one after another.
        ValueTask<bool>[] firstSteps = [.. streams.Select(stream => stream.MoveNextAsync())];
        static async Task<long> DrainAsync(IAsyncEnumerator<PcmChunk> stream, ValueTask<bool> firstStep)
        {
            long samples = 0;
            for (bool more = await firstStep; more; more = await stream.MoveNextAsync())
            {
                samples += stream.Current.Samples.Length;
            }
            await stream.DisposeAsync();
            return samples;
        }

        long[] results = await Task.WhenAll(streams.Select((stream, i) => DrainAsync(stream, firstSteps[i])));

        Assert.All(results, samples => Assert.Equal(results[0], samples));
        Assert.Equal(2, engine.PeakGenerations); // six at once, two at a time (Voxgate:Models:MaxConcurrentPerModel)
        Assert.Equal(0, engine.ActiveGenerations); // a stream that has ended has given its slot back
    }

    [Fact]
    public async Task ConcurrentRequestsAllSucceed()
    {
        Task<double>[] requests = [.. Enumerable.Range(0, 6).Select(i => DurationAsync(new
        {
            model = "tts-1", input = $"Request number {i} speaks at the same time as the others.", voice = NeuralModels.KokoroSpeakers[i % 4], response_format = "wav",
        }))];
        double[] durations = await Task.WhenAll(requests);
        Assert.All(durations, d => Assert.InRange(d, 0.5, 3));
    }

    private async Task<double> DurationAsync(object body)
    {
        HttpResponseMessage response = await factory.CreateClient().PostSpeechAsync(body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await AudioProbe.ProbeAsync(await response.Content.ReadAsByteArrayAsync(), "wav")).DecodedDuration.TotalSeconds;
    }

    private async Task<double> PeakAsync(object body)
    {
        HttpResponseMessage response = await factory.CreateClient().PostSpeechAsync(body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return Peak(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The loudest sample of a 16-bit WAV, as a fraction of full scale.</summary>
    private static double Peak(byte[] wav)
    {
        int data = wav.AsSpan().IndexOf("data"u8) + 8;
        int peak = 0;
        for (int i = data; i + 1 < wav.Length; i += 2)
        {
            peak = Math.Max(peak, Math.Abs((int)BitConverter.ToInt16(wav, i)));
        }
        return peak / 32768.0;
    }

    /// <summary>Kokoro's token count: the phonemes eSpeak NG writes for the text that the tokens know, and two boundary tokens.</summary>
    private static int ExpectedKokoroTokens(string text) => ExpectedPhonemes(text) + 2;

    private static int ExpectedPhonemes(string text)
    {
        var espeak = (EspeakEngine)SpeechServices.Get<SpeechEngineRegistry>().Engines.Single(e => e.Name == "espeak");
        SpeechServices.Get<SpeechEngineRegistry>().TryGetVoice("espeak:en-us", out VoiceInfo voice, out _);
        HashSet<string> known = [.. OnnxModelWriter.Tokens().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[..line.LastIndexOf(' ')])];
        return espeak.Ipa(text, voice).EnumerateRunes().Count(r => known.Contains(r.ToString()));
    }
}
