using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

/// <summary>
/// The zero-shot cloning models (ZipVoice, Pocket TTS) loaded directly through the real sherpa-onnx library, with the
/// tiny test models: ZipVoice's pitch follows the reference recording's, Pocket TTS's loudness does.
/// </summary>
public sealed class CloningEngineTests : IDisposable
{
    private const string Sentence = "The quiet river kept flowing past the village.";

    private readonly string _models = Directory.CreateTempSubdirectory("voxgate-cloning-").FullName;

    public void Dispose() => Directory.Delete(_models, recursive: true);

    private CloningSherpaEngine Load(string id, Func<string, string> write, ModelOptions? options = null)
    {
        string folder = write(Path.Combine(_models, id));
        ModelLayout.Describe(folder, id, null, null).Save(folder);
        options ??= new ModelOptions();
        options.Directory = _models;
        return Assert.IsType<CloningSherpaEngine>(SherpaEngine.Load(new ModelStore(Options.Create(options)).Get(id), options));
    }

    private static async Task<float[]> SpeakAsync(ISpeechEngine engine, VoiceReference? reference, string text = Sentence, double speed = 1)
    {
        var samples = new List<float>();
        await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(text, engine.Voices[0], speed, Reference: reference), CancellationToken.None))
        {
            Assert.Equal(engine.Voices[0].SampleRate, chunk.SampleRate);
            samples.AddRange(chunk.Samples.ToArray());
        }
        return [.. samples];
    }

    private static VoiceReference Tone(string id, float amplitude, double frequency = 220, int sampleRate = 24000, string? transcript = "A voice says this.") =>
        new(id, NeuralModels.ReferenceTone(amplitude, sampleRate, frequency: frequency), sampleRate, transcript);

    private static double Rms(float[] samples) => Math.Sqrt(samples.Sum(s => (double)s * s) / samples.Length);

    /// <summary>The frequency of a steady tone, from its zero crossings.</summary>
    private static double Pitch(float[] samples, int sampleRate)
    {
        int crossings = 0;
        for (int i = 1; i < samples.Length; i++)
        {
            crossings += samples[i - 1] < 0 != samples[i] < 0 ? 1 : 0;
        }
        return crossings / 2.0 / samples.Length * sampleRate;
    }

    [Fact]
    public async Task ZipVoiceIsDetectedAndSpeaksAtThePitchOfItsReference()
    {
        using CloningSherpaEngine engine = Load("zipvoice-pitch", NeuralModels.ZipVoice);
        Assert.Equal(ModelKind.ZipVoice, engine.Model.Manifest.Kind);
        Assert.True(engine.NeedsTranscript);
        VoiceInfo voice = Assert.Single(engine.Voices);
        Assert.Equal(("zipvoice-pitch:clone", 24000), (voice.Id, voice.SampleRate));
        Assert.Equal(["zipvoice-pitch"], voice.Aliases);

        float[] low = await SpeakAsync(engine, Tone("low", 0.3f, frequency: 200));
        float[] high = await SpeakAsync(engine, Tone("high", 0.3f, frequency: 700));
        double lowPitch = Pitch(low, 24000), highPitch = Pitch(high, 24000);
        // The output's pitch is the reference's loudest mel bin × 93.75 Hz: a higher voice is heard higher.
        Assert.True(highPitch > 2 * lowPitch, $"low reference → {lowPitch:0} Hz, high reference → {highPitch:0} Hz");
        Assert.InRange(lowPitch / OnnxModelWriter.ZipVoiceHertzPerMelBin % 1, 0, 0.05);

        // The same voice recorded at 16 kHz is resampled to the model's 24 kHz and heard at the same pitch.
        float[] resampled = await SpeakAsync(engine, Tone("high-16k", 0.3f, frequency: 700, sampleRate: 16000));
        Assert.InRange(Pitch(resampled, 24000), highPitch - 5, highPitch + 5);

        // Speed is the model's own: twice as fast, half the frames.
        float[] fast = await SpeakAsync(engine, Tone("high", 0.3f, frequency: 700), speed: 2);
        Assert.InRange((double)fast.Length / high.Length, 0.4, 0.6);
    }

    [Fact]
    public async Task PocketTtsIsDetectedAndSpeaksAsLoudAsItsReference()
    {
        using CloningSherpaEngine engine = Load("pocket-loudness", NeuralModels.PocketTts);
        Assert.Equal(ModelKind.PocketTts, engine.Model.Manifest.Kind);
        Assert.False(engine.NeedsTranscript);
        Assert.Equal("pocket-loudness:clone", Assert.Single(engine.Voices).Id);
        Assert.Equal(SpeedRange.None, engine.NativeSpeed); // Pocket TTS has no speed: the chain stretches

        // No transcript needed: the reference's sound alone.
        float[] quiet = await SpeakAsync(engine, Tone("quiet", 0.05f, transcript: null));
        float[] loud = await SpeakAsync(engine, Tone("loud", 0.4f, transcript: null));
        // The tone is as loud as the reference's RMS (amplitude / √2), so its own RMS is amplitude / 2.
        Assert.InRange(Rms(quiet), 0.025 * 0.95, 0.025 * 1.05);
        Assert.InRange(Rms(loud), 0.2 * 0.95, 0.2 * 1.05);
        Assert.Equal(0, loud.Length % OnnxModelWriter.PocketSamplesPerFrame);

        // A 48 kHz recording of the loud voice is resampled first, and heard as loud.
        float[] resampled = await SpeakAsync(engine, Tone("loud-48k", 0.4f, sampleRate: 48000, transcript: null));
        Assert.InRange(Rms(resampled), 0.2 * 0.95, 0.2 * 1.05);
    }

    [Fact]
    public async Task ConcurrentGenerationsOnOneHandleEachSpeakLikeTheirOwnReference()
    {
        // Three voices, each asked for twice, three generations at a time on the one handle; sherpa-onnx's embedding
        // cache holds a single voice, so voices push each other out while others are being spoken.
        using CloningSherpaEngine engine = Load("pocket-concurrent", NeuralModels.PocketTts, new ModelOptions { MaxConcurrentPerModel = 3, MaxVoiceEmbeddings = 1 });
        float[] amplitudes = [0.1f, 0.2f, 0.4f];
        Task<float[]>[] requests = [.. Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            SpeakAsync(engine, Tone($"voice-{i % 3}", amplitudes[i % 3], sampleRate: 16000, transcript: null))))];
        float[][] results = await Task.WhenAll(requests);
        for (int i = 0; i < results.Length; i++)
        {
            double expected = amplitudes[i % 3] / 2;
            Assert.True(Math.Abs(Rms(results[i]) - expected) < expected * 0.05, $"request {i}: rms {Rms(results[i]):0.0000}, expected {expected:0.0000}");
        }
        Assert.InRange(engine.PeakGenerations, 1, 3);
        Assert.Equal(0, engine.ActiveGenerations);
    }

    [Fact]
    public async Task ACloningEngineRefusesARequestWithoutAUsableReference()
    {
        using CloningSherpaEngine zipVoice = Load("zipvoice-refusals", NeuralModels.ZipVoice, new ModelOptions { MaxReferenceLength = TimeSpan.FromSeconds(5) });

        var none = await Assert.ThrowsAsync<SpeechSynthesisException>(() => SpeakAsync(zipVoice, null));
        Assert.Contains("imitates a recording", none.Message);
        var untranscribed = await Assert.ThrowsAsync<SpeechSynthesisException>(() => SpeakAsync(zipVoice, Tone("mute", 0.3f, transcript: " ")));
        Assert.Contains("transcript", untranscribed.Message);
        var tooLong = await Assert.ThrowsAsync<SpeechSynthesisException>(() =>
            SpeakAsync(zipVoice, new VoiceReference("long", NeuralModels.ReferenceTone(0.3f, seconds: 8), 24000, "Eight seconds.")));
        Assert.Contains("at most 5 s", tooLong.Message);

        // Refused before a generation slot is held for long: the engine is free again afterwards.
        Assert.Equal(0, zipVoice.ActiveGenerations);
        Assert.NotEmpty(await SpeakAsync(zipVoice, Tone("fine", 0.3f)));
    }

    [Fact]
    public void TheLayoutRefusesAZipVoiceModelSherpaOnnxWouldEndTheProcessOrFailOn()
    {
        string noLexicon = NeuralModels.ZipVoice(Path.Combine(_models, "no-lexicon"));
        File.Delete(Path.Combine(noLexicon, "lexicon.txt"));
        Assert.Contains("lexicon.txt", Assert.Throws<InvalidDataException>(() => ModelLayout.Describe(noLexicon, "no-lexicon", null, null)).Message);

        string hifigan = NeuralModels.ZipVoice(Path.Combine(_models, "hifigan"));
        File.Delete(Path.Combine(hifigan, "vocos_24khz.onnx"));
        File.WriteAllBytes(Path.Combine(hifigan, "hifigan.onnx"), OnnxModelWriter.HifiganVocoder());
        Assert.Contains("Vocos", Assert.Throws<InvalidDataException>(() => ModelLayout.Describe(hifigan, "hifigan", null, null)).Message);

        string pocket = NeuralModels.PocketTts(Path.Combine(_models, "pocket-no-scores"));
        File.Delete(Path.Combine(pocket, "token_scores.json"));
        Assert.Contains("token_scores.json", Assert.Throws<InvalidDataException>(() => ModelLayout.Describe(pocket, "pocket-no-scores", null, null)).Message);
    }
}
