using Voxgate.Speech.Engines;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Engines;

public class EngineTests
{
    private static SpeechEngineRegistry Registry => SpeechServices.Get<SpeechEngineRegistry>();

    private static async Task<List<PcmChunk>> SynthesizeAsync(string voiceId, string text, double speed = 1)
    {
        Assert.True(Registry.TryGetVoice(voiceId, out VoiceInfo voice, out ISpeechEngine engine), $"{voiceId} is not loaded");
        var chunks = new List<PcmChunk>();
        await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(text, voice, speed), CancellationToken.None))
        {
            chunks.Add(chunk);
        }
        return chunks;
    }

    private static double Seconds(List<PcmChunk> chunks) => chunks.Sum(c => c.Duration.TotalSeconds);

    [Fact]
    public void BothEmbeddedEnginesLoad()
    {
        Assert.Empty(Registry.Failures);
        Assert.Contains(Registry.Engines, e => e.Name == "flite");
        Assert.Contains(Registry.Engines, e => e.Name == "espeak");
        Assert.True(Registry.Voices.Count(v => v.Engine == "espeak") > 100, "eSpeak NG should offer its 100+ languages");
        Assert.Equal(Registry.Voices.Count, Registry.Voices.Select(v => v.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("flite:slt", 16000)]
    [InlineData("flite:kal16", 16000)]
    [InlineData("flite:awb", 16000)]
    [InlineData("flite:rms", 16000)]
    [InlineData("flite:kal", 8000)]
    [InlineData("espeak:en-us", 22050)]
    [InlineData("espeak:en-gb", 22050)]
    [InlineData("espeak:de", 22050)]
    public async Task VoicesSpeakAtTheirDeclaredRateForAPlausibleTime(string voiceId, int rate)
    {
        // Twelve words: between ~2 and ~8 seconds of speech at any reasonable rate.
        List<PcmChunk> chunks = await SynthesizeAsync(voiceId, "The quick brown fox jumps over the lazy dog near the river bank.");
        Assert.All(chunks, c => Assert.Equal(rate, c.SampleRate));
        Assert.InRange(Seconds(chunks), 2, 8);
        Assert.True(chunks.Max(c => Signals.Peak(c.Samples)) > 0.05, "the voice produced silence");
    }

    [Fact]
    public async Task EspeakReportsWordsInOrderWithinTheAudio()
    {
        const string text = "One two three four five.";
        List<PcmChunk> chunks = await SynthesizeAsync("espeak:en-us", text);
        WordTiming[] words = [.. chunks.SelectMany(c => c.Words)];
        Assert.Equal(["One", "two", "three", "four", "five"], words.Select(w => text.Substring(w.TextIndex, w.TextLength)));
        Assert.True(words.Zip(words.Skip(1)).All(p => p.First.Offset < p.Second.Offset), "word times must increase");
        Assert.True(words[^1].Offset.TotalSeconds < Seconds(chunks));
    }

    [Fact]
    public async Task EspeakWordOffsetsCountUtf16NotCodePoints()
    {
        const string text = "\uD83D\uDE00 hello world";
        WordTiming[] words = [.. (await SynthesizeAsync("espeak:en-us", text)).SelectMany(c => c.Words)];
        Assert.Contains(words, w => text.Substring(w.TextIndex, w.TextLength) == "world");
    }

    [Fact]
    public async Task EspeakRendersSpeedNatively()
    {
        const string text = "This sentence is spoken at two different speeds by the same voice.";
        double normal = Seconds(await SynthesizeAsync("espeak:en-us", text, 1.0));
        double fast = Seconds(await SynthesizeAsync("espeak:en-us", text, 2.0));
        Assert.InRange(fast / normal, 0.4, 0.65);
    }

    [Fact]
    public async Task EspeakIsSafeUnderConcurrentRequests()
    {
        // Unlocked concurrent calls abort the process (eSpeak NG is one global engine); this must finish with sane audio.
        var tasks = Enumerable.Range(0, 32).Select(i => SynthesizeAsync(i % 2 == 0 ? "espeak:en-us" : "espeak:fr-fr", $"Request number {i}."));
        List<PcmChunk>[] results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.InRange(Seconds(r), 0.5, 4));
    }

    [Fact]
    public async Task EveryEspeakVoiceCanBeSelected()
    {
        foreach (VoiceInfo voice in Registry.Voices.Where(v => v.Engine == "espeak"))
        {
            List<PcmChunk> chunks = await SynthesizeAsync(voice.Id, "1");
            Assert.True(Seconds(chunks) > 0.1, $"{voice.Id} produced no audio");
        }
    }

    [Fact]
    public async Task FliteSurvivesTextItCannotRead()
    {
        // Non-ASCII is transliterated or dropped before it reaches Flite.
        List<PcmChunk> chunks = await SynthesizeAsync("flite:kal16", "Café “quoted” — naïve 日本 \uD83D\uDE00 end.");
        Assert.InRange(Seconds(chunks), 0.5, 8);
    }

    [Theory]
    [InlineData("flite:slt")]
    [InlineData("flite:kal16")]
    [InlineData("espeak:en-us")]
    public async Task AWordAsLongAsASegmentIsSpokenNotFatal(string voiceId)
    {
        List<PcmChunk> chunks = await SynthesizeAsync(voiceId, new string('x', 300));
        Assert.True(Seconds(chunks) > 0.5);
    }

    [Theory]
    [InlineData("Café", "Cafe")]
    [InlineData("“quoted” ‘single’", "\"quoted\" 'single'")]
    [InlineData("a—b", "a - b")]
    [InlineData("日本", "  ")]
    public void FliteTextIsAscii(string input, string expected) => Assert.Equal(expected, FliteEngine.ToFliteText(input));

    [Fact]
    public async Task ConcurrentFliteCallsProduceTheSameAudioAsOne()
    {
        const string text = "Concurrency must not change what a diphone voice says.";
        float[] reference = [.. (await SynthesizeAsync("flite:kal16", text)).SelectMany(c => c.Samples)];
        List<PcmChunk>[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => SynthesizeAsync("flite:kal16", text))));
        Assert.All(results, r => Assert.Equal(reference, r.SelectMany(c => c.Samples)));
    }
}
