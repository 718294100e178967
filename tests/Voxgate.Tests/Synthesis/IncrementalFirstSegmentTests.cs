using Microsoft.Extensions.Options;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Synthesis;

/// <summary>
/// A stream's first segment goes while its engine computes it: the engines report their audio in pieces as they make
/// it, and the pipeline sends each piece once it knows the piece is kept, yet the audio is exactly what the segment
/// sent whole would have been.
/// </summary>
public class IncrementalFirstSegmentTests
{
    private const string Sentence = "The old lighthouse stood at the edge of the harbour, its white paint peeling in long strips after a hundred winters.";

    private static async Task<List<PcmChunk>> ChunksAsync(string voiceId, string text, bool incremental)
    {
        Assert.True(SpeechServices.Get<SpeechEngineRegistry>().TryGetVoice(voiceId, out VoiceInfo voice, out ISpeechEngine engine));
        var chunks = new List<PcmChunk>();
        await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(text, voice) { Incremental = incremental }, CancellationToken.None))
        {
            chunks.Add(chunk);
        }
        return chunks;
    }

    /// <summary>
    /// Incrementally, Flite gives many chunks where it otherwise gives one, and the same audio: bit for bit for its
    /// diphone voices, the same length for its clustergen voices (their excitation is random).
    /// </summary>
    [Theory]
    [InlineData("flite:kal16", true)]
    [InlineData("flite:kal", true)]
    [InlineData("flite:slt", false)]
    [InlineData("flite:rms", false)]
    public async Task FliteReportsTheSameAudioInPiecesAsItMakesIt(string voice, bool deterministic)
    {
        List<PcmChunk> whole = await ChunksAsync(voice, Sentence, incremental: false);
        List<PcmChunk> pieces = await ChunksAsync(voice, Sentence, incremental: true);

        Assert.Single(whole);
        Assert.True(pieces.Count >= 10, $"{pieces.Count} pieces for {whole[0].Duration.TotalSeconds:0.00} s of audio");
        float[] joined = [.. pieces.SelectMany(p => p.Samples)];
        Assert.Equal(whole[0].Samples.Length, joined.Length);
        if (deterministic)
        {
            Assert.Equal(whole[0].Samples, joined);
        }
    }

    /// <summary>
    /// eSpeak NG reports its buffers as it makes them, each with the words that start in it. (Two calls with the same
    /// text need not give the same number of samples, so the pieces are held to the same words and about the same length.)
    /// </summary>
    [Fact]
    public async Task EspeakReportsItsBuffersAndTheirWordsAsItMakesThem()
    {
        List<PcmChunk> whole = await ChunksAsync("espeak:en-us", Sentence, incremental: false);
        List<PcmChunk> pieces = await ChunksAsync("espeak:en-us", Sentence, incremental: true);

        Assert.Single(whole);
        Assert.True(pieces.Count >= 10, $"{pieces.Count} pieces for {whole[0].Duration.TotalSeconds:0.00} s of audio");
        Assert.InRange(pieces.Sum(p => p.Samples.Length), 0.97 * whole[0].Samples.Length, 1.03 * whole[0].Samples.Length);
        WordTiming[] words = [.. pieces.SelectMany(p => p.Words)];
        Assert.Equal(whole[0].Words.Select(w => (w.TextIndex, w.TextLength)), words.Select(w => (w.TextIndex, w.TextLength)));
        Assert.Equal(20, words.Length);
        Assert.True(pieces.Skip(1).Any(p => p.Words.Count > 0), "every word came with the first piece");
    }

    public static TheoryData<string, bool> StreamedVoices() => new()
    {
        { "flite:kal16", true }, // cut at the first clause or words, and the rest
        { "flite:kal16", false }, // the first sentence whole
        { "flite:kal", true },
        { "flite:kal", false },
    };

    /// <summary>
    /// The stream's audio, its segment times and its word times are the same whether the first segment went while its
    /// engine computed it or once it was done: the edge silence trimmed, the cut's join and the fades all land on the
    /// same samples.
    /// </summary>
    [Theory]
    [MemberData(nameof(StreamedVoices))]
    public async Task TheFirstSegmentSentAsItIsMadeIsTheSameAudio(string voice, bool cut)
    {
        string text = Sentence + " Children gathered on the quay, watching the boats come home.";
        var request = new SpeechRequest { Model = "tts-1", Voice = voice, Input = text, Format = AudioFormat.Pcm, Streamed = true };
        SpeechPlan plan = Planner(cut).Plan(request);
        Assert.Equal(cut ? 3 : 2, plan.Text.Segments.Count);
        (byte[] Audio, List<SegmentTiming> Segments) incremental = await RunAsync(Pipeline(incremental: true), plan);
        (byte[] Audio, List<SegmentTiming> Segments) whole = await RunAsync(Pipeline(incremental: false), plan);

        Assert.True(incremental.Audio.Length > 48_000);
        Assert.Equal(whole.Audio, incremental.Audio);
        Assert.Equal(whole.Segments.Select(s => (s.Index, s.Start, s.End)), incremental.Segments.Select(s => (s.Index, s.Start, s.End)));
        Assert.Equal(whole.Segments.SelectMany(s => s.Words), incremental.Segments.SelectMany(s => s.Words));
    }

    /// <summary>
    /// The reader has the first audio while the engine still computes the segment (here held after half a second of
    /// audio until the test lets it go on), and the engine turn is given back when the engine is done even though the
    /// reader has read nothing more.
    /// </summary>
    [Fact]
    public async Task TheReaderHasAudioBeforeTheEngineIsDoneAndASlowReaderHoldsNoTurn()
    {
        SpeechPlan plan = LongSentencePlan();
        Assert.Single(plan.Text.Segments);
        var engine = new HeldEngine(((LocalSynthesis)plan.Route).Engine, TimeSpan.FromSeconds(0.5));
        plan = plan with { Route = ((LocalSynthesis)plan.Route) with { Engine = engine } };
        var turns = new RecordedTurns();

        await using IAsyncEnumerator<SpeechChunk> reader = Pipeline(incremental: true).RunAsync(plan, turns, 1, CancellationToken.None)
            .GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1))); // sent whole, it would wait for the release
        Assert.True(reader.Current.Audio.Length > 0);
        Assert.Equal((1, 0), (turns.Taken, turns.Returned)); // audio out, engine held inside the same segment

        engine.Release.SetResult();
        await turns.AllReturned.Task.WaitAsync(TimeSpan.FromMinutes(1)); // the reader has not read on
        Assert.Equal((1, 1), (turns.Taken, turns.Returned));
        int bytes = reader.Current.Audio.Length;
        while (await reader.MoveNextAsync())
        {
            bytes += reader.Current.Audio.Length;
        }
        Assert.True(bytes > 2 * 16_000 * 5, $"{bytes} bytes"); // the whole sentence, over 5 s of it
    }

    /// <summary>A reader that leaves in the middle of the first segment stops its engine and gives its turn back.</summary>
    [Fact]
    public async Task AReaderThatLeavesStopsTheEngine()
    {
        SpeechPlan plan = LongSentencePlan();
        var turns = new RecordedTurns();
        IAsyncEnumerator<SpeechChunk> reader = Pipeline(incremental: true).RunAsync(plan, turns, 1, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());

        await reader.DisposeAsync();

        Assert.Equal((1, 1), (turns.Taken, turns.Returned)); // returned by the time the reader's dispose completes
    }

    /// <summary>
    /// One segment of 240 characters, streamed and not cut, on a voice that takes about 1/80 of real time: about 0.2 s
    /// of engine time, against a few ms for its first piece.
    /// </summary>
    private static SpeechPlan LongSentencePlan()
    {
        string text = string.Join(' ', Enumerable.Repeat("the keeper climbed the spiral stairs and lit the great lamp", 4)) + ".";
        return Planner(cut: false).Plan(new SpeechRequest { Model = "tts-1", Voice = "flite:slt", Input = text, Format = AudioFormat.Pcm, Streamed = true });
    }

    private static SpeechPlanner Planner(bool cut) => new(SpeechServices.Get<ModelCatalog>(), SpeechServices.Get<SpeechEngineRegistry>(),
        SpeechServices.Get<TextPreparer>(), SpeechServices.Get<AudioEncoderFactory>(), SpeechServices.Get<IOptions<AudioOptions>>(),
        Options.Create(new StreamingOptions { FirstSegmentCut = cut }));

    private static SpeechPipeline Pipeline(bool incremental) => new(SpeechServices.Get<AudioEncoderFactory>(), SpeechServices.Get<UpstreamProviders>(), SpeechServices.Get<RouteHealth>(),
        SpeechServices.Get<SpeechMetrics>(), SpeechServices.Get<ClausePauses>(), SpeechServices.Get<IOptions<AudioOptions>>(),
        Options.Create(new StreamingOptions { FirstSegmentIncremental = incremental }));

    private static async Task<(byte[] Audio, List<SegmentTiming> Segments)> RunAsync(SpeechPipeline pipeline, SpeechPlan plan)
    {
        var audio = new List<byte>();
        var segments = new List<SegmentTiming>();
        await foreach (SpeechChunk chunk in pipeline.RunAsync(plan, CancellationToken.None))
        {
            audio.AddRange(chunk.Audio.ToArray());
            if (chunk.Segment is { } segment)
            {
                segments.Add(segment);
            }
        }
        return ([.. audio], segments);
    }

    /// <summary>A real engine whose segment stops, once it has yielded <paramref name="before"/> of audio, until released.</summary>
    private sealed class HeldEngine(ISpeechEngine inner, TimeSpan before) : ISpeechEngine
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => inner.Name;

        public string Version => inner.Version;

        public IReadOnlyList<VoiceInfo> Voices => inner.Voices;

        public SpeedRange NativeSpeed => inner.NativeSpeed;

        public async IAsyncEnumerable<PcmChunk> SynthesizeAsync(EngineRequest request,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            TimeSpan yielded = TimeSpan.Zero;
            await foreach (PcmChunk chunk in inner.SynthesizeAsync(request, cancellationToken))
            {
                yield return chunk;
                if (yielded < before && (yielded += chunk.Duration) >= before)
                {
                    await Release.Task.WaitAsync(cancellationToken);
                }
            }
        }
    }

    /// <summary>Engine turns that are always free, counted as they are taken and given back.</summary>
    private sealed class RecordedTurns : IEngineTurns
    {
        private int _taken;
        private int _returned;

        public int Taken => Volatile.Read(ref _taken);

        public int Returned => Volatile.Read(ref _returned);

        public TaskCompletionSource AllReturned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<IDisposable> TakeAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _taken);
            return ValueTask.FromResult<IDisposable>(new Turn(this));
        }

        public void Forgo()
        {
        }

        private sealed class Turn(RecordedTurns turns) : IDisposable
        {
            public void Dispose()
            {
                if (Interlocked.Increment(ref turns._returned) == turns.Taken)
                {
                    turns.AllReturned.TrySetResult();
                }
            }
        }
    }
}
