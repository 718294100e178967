using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Runs a plan. Locally: each text segment through its engine (holding an engine turn only while the engine computes
/// it), then its audio through the chain and the encoder in small pieces, yielding encoded bytes as they accumulate.
/// Upstream: the provider's audio, taken at the provider's pace and handed on at the reader's. Pull-driven either way:
/// nothing more is computed until the reader has taken what is ready, so a slow reader costs the request a bounded
/// buffer (one segment's samples and <see cref="StreamingOptions.MaxPendingBytes"/> of encoded audio), never an engine.
/// </summary>
public sealed class SpeechPipeline(
    AudioEncoderFactory encoders,
    UpstreamProviders upstreams,
    RouteHealth health,
    SpeechMetrics metrics,
    ClausePauses clausePauses,
    IOptions<AudioOptions> audioOptions,
    IOptions<StreamingOptions> streamingOptions)
{
    /// <summary>Engine samples fed to the chain at once: small enough that encoded audio is handed on in small pieces.</summary>
    private const int BlockFrames = 4096;

    /// <summary>The engine's silence kept at each side of a join inside a sentence, in ms.</summary>
    private const int JoinPadMs = 5;

    /// <summary>The quiet tail a head cut short keeps before the join, in ms; the join's silence makes up the rest.</summary>
    private const int MaxQuietBeforeJoinMs = 40;

    /// <summary>Silence for pauses, fed a block at a time, so a 99.99 s pause costs no more memory than a short one.</summary>
    private static readonly float[] s_silence = new float[BlockFrames];

    private readonly AudioOptions _audio = audioOptions.Value;
    private readonly StreamingOptions _streaming = streamingOptions.Value;

    /// <summary>Runs the plan without engine turns (the offline CLI, tests): the engine is used whenever the reader asks.</summary>
    public IAsyncEnumerable<SpeechChunk> RunAsync(SpeechPlan plan, CancellationToken cancellationToken) =>
        RunAsync(plan, UnlimitedEngineTurns.Instance, 1, cancellationToken);

    /// <param name="turns">The engine time the request takes, a segment at a time.</param>
    /// <param name="parallelism">
    /// Segments synthesised at once ahead of the one being encoded. 1 (interactive requests) synthesises a segment
    /// when the reader has taken the one before; more (long asynchronous tasks) spreads synthesis across cores while
    /// the chain and encoder, which carry state from segment to segment, take the segments in order.
    /// </param>
    public IAsyncEnumerable<SpeechChunk> RunAsync(SpeechPlan plan, IEngineTurns turns, int parallelism, CancellationToken cancellationToken) =>
        plan is { Route: LocalSynthesis, Fallback: null }
            ? RunRouteAsync(plan, turns, parallelism, cancellationToken)
            : RunRoutesAsync(plan, turns, parallelism, cancellationToken);

    private IAsyncEnumerable<SpeechChunk> RunRouteAsync(SpeechPlan plan, IEngineTurns turns, int parallelism, CancellationToken cancellationToken) => plan.Route switch
    {
        LocalSynthesis local => RunLocalAsync(plan, local, turns, parallelism, cancellationToken),
        UpstreamSynthesis upstream => RunUpstreamAsync(plan, upstream.Upstream, turns, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(plan)),
    };

    /// <summary>
    /// Runs the plan's routes in order (<see cref="SpeechPlan.Fallback"/>): a provider that fails before its first
    /// audio (unreachable, a timeout, a 5xx, a 429) leaves nothing sent, so the request goes on with the next route;
    /// once a route has yielded audio it is the request's, and a later failure ends the request as it would without
    /// fallbacks. Each provider's first outcome is reported to <see cref="RouteHealth"/>, and the serving route to
    /// <paramref name="turns"/> (the admission settles by it).
    /// </summary>
    private async IAsyncEnumerable<SpeechChunk> RunRoutesAsync(SpeechPlan plan, IEngineTurns turns, int parallelism,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SpeechPlan route = plan;
        while (true)
        {
            IAsyncEnumerator<SpeechChunk> chunks = RunRouteAsync(route, TurnsOn(turns, plan, route), parallelism, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                (bool any, SpeechPlan? next) = await StartAsync(route, chunks, turns);
                if (next is not null)
                {
                    route = next;
                    continue;
                }
                turns.Serving(route);
                if (!any)
                {
                    yield break;
                }
                yield return chunks.Current;
                while (await chunks.MoveNextAsync())
                {
                    yield return chunks.Current;
                }
                yield break;
            }
            finally
            {
                await chunks.DisposeAsync();
            }
        }
    }

    /// <summary>The route's first chunk, and the provider's health with it; or the route to fall through to.</summary>
    private async Task<(bool Any, SpeechPlan? Next)> StartAsync(SpeechPlan route, IAsyncEnumerator<SpeechChunk> chunks, IEngineTurns turns)
    {
        try
        {
            bool any = await chunks.MoveNextAsync();
            RouteStarted(route);
            return (any, null);
        }
        catch (UpstreamException ex)
        {
            return (false, FallThrough(route, ex, turns));
        }
    }

    /// <summary>The route's first audio came (or it ended with none): its provider is in service.</summary>
    public void RouteStarted(SpeechPlan route)
    {
        if (route.Route is UpstreamSynthesis { Upstream.Provider: { } provider })
        {
            health.Succeeded(provider);
        }
    }

    /// <summary>
    /// The one fall-through policy, for requests (<see cref="RunAsync(SpeechPlan, IEngineTurns, int, CancellationToken)"/>)
    /// and WebSocket tasks alike: <paramref name="route"/> failed before any of its audio reached the client. A failure
    /// another route may not share (<see cref="FallsThrough"/>) is counted against the provider (<see cref="RouteHealth"/>)
    /// and, when there is a next route, reported to <paramref name="turns"/> (log and metric) and the next route returned.
    /// </summary>
    /// <exception cref="UpstreamException">
    /// The failure ends the request: it is not one to fall through, or this was the last route. A voice held at the
    /// provider (<see cref="UpstreamRoute.HeldVoice"/>) has no other route, and the failure says so.
    /// </exception>
    public SpeechPlan FallThrough(SpeechPlan route, UpstreamException failure, IEngineTurns turns)
    {
        string? provider = (route.Route as UpstreamSynthesis)?.Upstream.Provider;
        if (FallsThrough(failure))
        {
            if (provider is not null)
            {
                health.Failed(provider);
            }
            if (route.Fallback is { } next)
            {
                turns.FellThrough(route, next, failure);
                return next;
            }
        }
        if (route.Route is UpstreamSynthesis { Upstream.HeldVoice: { } voice })
        {
            throw new UpstreamException(failure.Failure, failure.Provider,
                $"{failure.Message} The voice '{voice}' exists only at the provider '{failure.Provider}', so no other route can speak with it.",
                failure.RetryAfter, failure);
        }
        ExceptionDispatchInfo.Throw(failure);
        return route; // not reached
    }

    /// <summary>The request's turns for <paramref name="route"/>: a fallback's are taken on its own capacity (another provider's, or an engine's), not the first route's.</summary>
    public static IEngineTurns TurnsOn(IEngineTurns turns, SpeechPlan first, SpeechPlan route) =>
        ReferenceEquals(route, first) ? turns : new FallbackTurns(turns, route);

    /// <summary>The provider's failures another route may not share: it is away, slow, failing or limiting; not a refusal of the request or the key.</summary>
    public static bool FallsThrough(UpstreamException failure) =>
        failure.Failure is UpstreamFailure.Unavailable or UpstreamFailure.Failed or UpstreamFailure.RateLimited;

    /// <summary>The request's turns, taken on a fallback route's capacity.</summary>
    private sealed class FallbackTurns(IEngineTurns request, SpeechPlan route) : IEngineTurns
    {
        public ValueTask<IDisposable> TakeAsync(CancellationToken cancellationToken) => request.TakeAsync(route, cancellationToken);

        public void Forgo() => request.Forgo();
    }

    /// <summary>
    /// Relays the provider's audio. The provider is read at its own pace into a <see cref="SpillBuffer"/> while the
    /// reader takes it at its pace, so the provider's concurrency (the turn) is given back when the provider is done,
    /// not when the reader is. The buffer is bounded by twice the audio the request may produce.
    /// </summary>
    private async IAsyncEnumerable<SpeechChunk> RunUpstreamAsync(SpeechPlan plan, UpstreamRoute route, IEngineTurns turns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long bound = plan.MaxAudio == TimeSpan.MaxValue ? long.MaxValue : (long)Math.Min(long.MaxValue / 4, 2 * plan.MaxAudio.TotalSeconds * Math.Max(plan.BytesPerSecond, 16_000));
        using var spill = new SpillBuffer(_streaming, bound);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task relay = RelayAsync(plan, route, turns, spill, stop.Token);
        long bytes = 0;
        try
        {
            await foreach (ReadOnlyMemory<byte> audio in spill.ReadAllAsync(_streaming.MaxPendingBytes, cancellationToken))
            {
                bytes += audio.Length;
                yield return new SpeechChunk(audio.ToArray());
            }
        }
        finally
        {
            // The reader is done, or gone: stop the provider's stream too, and let the relay end before the buffer goes.
            await stop.CancelAsync();
            await relay;
        }
        EncoderSettings output = plan.Output;
        // Only raw PCM says its own length; the provider's other formats are passed on without decoding them.
        TimeSpan duration = output.Format == AudioFormat.Pcm
            ? TimeSpan.FromSeconds(bytes / 2.0 / output.Channels / output.SampleRate)
            : TimeSpan.Zero;
        metrics.SynthesisCompleted(plan.Route.Capacity, plan.Text.Characters, duration);
        yield return new SpeechChunk(ReadOnlyMemory<byte>.Empty)
        {
            Summary = new SpeechSummary(plan.Text.Characters, duration, bytes, output.Format, output.SampleRate, output.Channels,
                output.Bitrate, 0, []),
        };
    }

    /// <summary>Reads the provider's whole answer into the buffer under one turn; its failure reaches the reader through the buffer.</summary>
    private async Task RelayAsync(SpeechPlan plan, UpstreamRoute route, IEngineTurns turns, SpillBuffer spill, CancellationToken cancellationToken)
    {
        try
        {
            using (await turns.TakeAsync(cancellationToken))
            {
                await foreach (ReadOnlyMemory<byte> audio in upstreams.StreamAsync(plan, route, cancellationToken))
                {
                    spill.Write(audio.Span);
                }
            }
            spill.Complete();
        }
        catch (Exception ex)
        {
            spill.Complete(ex);
        }
    }

    private IAsyncEnumerable<SpeechChunk> RunLocalAsync(SpeechPlan plan, LocalSynthesis local, IEngineTurns turns, int parallelism,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<TextSegment> segments = plan.Text.Segments;
        IAsyncEnumerable<SegmentAudio> audio = parallelism <= 1
            ? SequentialAsync(plan, local, segments.ToAsyncEnumerable(), turns, cancellationToken)
            : PrefetchAsync(plan, local, parallelism, cancellationToken);
        // Speech loses the engine's edge silence at the ends of the audio and next to the caller's pauses.
        return EncodeAsync(plan, local, audio,
            segment => (segment.Index == 0 || segments[segment.Index - 1].IsPause, segment.Index == segments.Count - 1 || segments[segment.Index + 1].IsPause),
            () => plan.MaxAudio, () => plan.Text.Characters, cancellationToken);
    }

    /// <summary>
    /// Runs a local plan whose text arrives while it is spoken (a MiniMax WebSocket task): each segment is synthesised
    /// as soon as the source yields it and the reader has taken the audio before, under its own engine turn, and all
    /// of them go through one chain and one encoder, so the task's audio is one continuous stream however its text
    /// was cut. The plan's own text is not used: <paramref name="segments"/> index into the text prepared so far.
    /// </summary>
    /// <param name="maxAudio">The most audio the text accepted so far may produce (it grows with the text).</param>
    /// <param name="characters">The billable characters accepted so far, for the summary.</param>
    public IAsyncEnumerable<SpeechChunk> RunIncrementalAsync(SpeechPlan plan, IAsyncEnumerable<TextSegment> segments, IEngineTurns turns,
        Func<TimeSpan> maxAudio, Func<int> characters, CancellationToken cancellationToken)
    {
        if (plan.Route is not LocalSynthesis local)
        {
            throw new ArgumentException("Only a local plan takes its text incrementally.", nameof(plan));
        }
        // What follows a segment is not known when it is spoken: its trailing silence stays (the pause between
        // sentences); leading silence goes at the start and after a pause.
        bool afterPause = true;
        return EncodeAsync(plan, local, SequentialAsync(plan, local, segments, turns, cancellationToken), segment =>
        {
            bool trimStart = afterPause;
            afterPause = segment.IsPause;
            return (trimStart, false);
        }, maxAudio, characters, cancellationToken);
    }

    /// <summary>The segments' audio through the chain and the encoder, in order, yielding encoded bytes as they accumulate.</summary>
    /// <param name="edges">For each segment in turn, whether the engine's silence is trimmed at its start and its end.</param>
    private async IAsyncEnumerable<SpeechChunk> EncodeAsync(SpeechPlan plan, LocalSynthesis local, IAsyncEnumerable<SegmentAudio> audio,
        Func<TextSegment, (bool Start, bool End)> edges, Func<TimeSpan> maxAudio, Func<int> characters,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ISpeechEngine engine = local.Engine;
        EncoderSettings output = plan.Output;
        int rate = plan.Voice.SampleRate;
        using IAudioEncoder encoder = CreateEncoder(output);
        using AudioChain chain = BuildChain(plan, local.Tempo);
        var timeline = new Timeline(rate, local.Tempo);
        var encoded = new EncodedOutput();
        long framesOut = 0;
        int segmentCount = 0;
        int leadPad = rate * _audio.LeadingPadMs / 1000, tailPad = rate * _audio.TrailingPadMs / 1000;
        // At a join, a few ms of the engine's own silence on each side, so that speech meets silence there, never a step.
        int joinPad = rate * JoinPadMs / 1000;
        EdgeSilence? silence = _audio.TrimSilence ? new EdgeSilence(_audio.SilenceThreshold, leadPad, tailPad) : null;
        int quietBeforeJoin = 0; // the quiet tail the head before a join kept, in frames
        bool firstBytes = true;
        TextSegment? previous = null;

        // Feeds silence, then speech from samples[offset..], through the chain a block at a time, handing on encoded audio as it accumulates.
        IEnumerable<SpeechChunk> Feed(float[] samples, int offset, long silenceFrames, long speechFrames, long maxFrames, TimeSpan budget)
        {
            for (long done = 0; done < silenceFrames + speechFrames;)
            {
                bool silent = done < silenceFrames;
                int count = (int)Math.Min(BlockFrames, silent ? silenceFrames - done : silenceFrames + speechFrames - done);
                framesOut += Encode(chain.Process(silent ? s_silence.AsSpan(0, count) : samples.AsSpan(offset + (int)(done - silenceFrames), count)),
                    encoder, encoded);
                timeline.Frames += count;
                done += count;
                if (framesOut > maxFrames)
                {
                    throw new SpeechSynthesisException(
                        $"The synthesis produced more than the {budget.TotalSeconds:0} s of audio this request may produce; it was stopped.");
                }
                // The first encoded bytes go at once rather than with the rest of their segment: the reader can start
                // playing a few ms sooner.
                if (encoded.PendingCount >= _streaming.MaxPendingBytes || (firstBytes && encoded.PendingCount > 0))
                {
                    firstBytes = false;
                    yield return new SpeechChunk(encoded.TakePending());
                }
            }
        }

        await foreach (SegmentAudio audioPiece in audio.WithCancellation(cancellationToken))
        {
            SegmentAudio piece = audioPiece;
            TextSegment segment = piece.Segment;
            segmentCount++;
            // A segment cut short inside its sentence (a stream's first) and the rest of the sentence meet at a pause as
            // long as the voice's own comma pause (a third of it between words): the engine's edge silence on both sides
            // goes, then silence makes up what the fades kept on either side lack.
            bool cutAfter = segment.Cut != SegmentCut.None;
            bool cutBefore = previous is { Cut: not SegmentCut.None };
            previous = segment;
            (bool trimStart, bool trimEnd) = edges(segment);
            trimStart |= cutBefore;
            trimEnd |= cutAfter;
            long segmentStart = timeline.Frames;
            TimeSpan budget = maxAudio();
            long maxFrames = budget == TimeSpan.MaxValue ? long.MaxValue : (long)(budget.TotalSeconds * output.SampleRate);
            // Speech frames from the start of the kept range already sent while the engine computed the segment.
            int sent = 0;
            if (piece.Live is { } live)
            {
                // The audio goes as the engine makes it, once it is known to be kept: from the first loud sample (less
                // the pad), up to the last clearly loud one, which no trimming of the tail reaches. What is left, and
                // the words, are dealt with below like any whole segment's, which finds the same start.
                var samples = new SampleBuffer();
                var liveWords = new List<WordTiming>();
                int start = silence is null || !trimStart ? 0 : -1;
                await foreach (PcmChunk pcm in live.WithCancellation(cancellationToken))
                {
                    int from = samples.Length;
                    samples.Append(pcm.Samples);
                    liveWords.AddRange(pcm.Words);
                    if (start < 0 && silence!.FirstLoud(samples.Span[from..]) is int loud and >= 0)
                    {
                        start = Math.Max(0, from + loud - leadPad);
                    }
                    int safe = silence is null || !trimEnd ? samples.Length : EdgeSilence.ClearlyLoudEnd(samples.Span, rate);
                    if (start >= 0 && safe > start + sent)
                    {
                        foreach (SpeechChunk chunk in Feed(samples.Array, start + sent, 0, safe - start - sent, maxFrames, budget))
                        {
                            yield return chunk;
                        }
                        sent = safe - start;
                    }
                }
                piece = piece with { Samples = samples.ToArray(), Words = liveWords, Live = null };
            }
            (int start, int end) kept = segment.IsPause || silence is null
                ? (0, piece.Samples.Length)
                : silence.Keep(piece.Samples, trimStart ? (cutBefore ? joinPad : leadPad) : -1, trimEnd ? (cutAfter ? joinPad : tailPad) : -1);
            long join = 0;
            if (cutBefore && silence is not null)
            {
                // The quiet the rest starts with counts towards the pause, up to what the pause has left.
                int room = Math.Max(0, piece.JoinFrames - quietBeforeJoin);
                int quiet = EdgeSilence.QuietFrames(piece.Samples.AsSpan(kept.start, kept.end - kept.start), rate, atEnd: false);
                if (quiet > room)
                {
                    kept.start += quiet - room;
                    EdgeSilence.FadeIn(piece.Samples.AsSpan(kept.start, kept.end - kept.start), joinPad);
                    quiet = room;
                }
                join = room - quiet;
            }
            if (cutAfter && silence is not null)
            {
                // The head goes out before the pause is known: it keeps at most a short quiet tail (some voices fade
                // out breathily for a tenth of a second), so that the pause is the voice's comma, not its fade.
                int quiet = EdgeSilence.QuietFrames(piece.Samples.AsSpan(kept.start, kept.end - kept.start), rate, atEnd: true);
                int most = rate * MaxQuietBeforeJoinMs / 1000;
                if (quiet > most)
                {
                    kept.end -= quiet - most;
                    EdgeSilence.FadeOut(piece.Samples.AsSpan(kept.start, kept.end - kept.start), joinPad);
                    quiet = most;
                }
                quietBeforeJoin = quiet;
            }
            segmentStart += join;
            var words = new List<WordSpan>();
            foreach (WordTiming word in piece.Words)
            {
                long frame = Math.Clamp((long)Math.Round(word.Offset.TotalSeconds * rate) - kept.start, 0, kept.end - kept.start);
                words.Add(new WordSpan(segment.Start + word.TextIndex, word.TextLength, timeline.ToOutputTime(segmentStart + frame)));
            }
            // Silence (a caller's pause, or a join) and speech go through the chain alike, a block at a time.
            (long Silence, long Speech) frames = segment.IsPause ? (piece.PauseFrames, 0) : (join, Math.Max(0, kept.end - kept.start - sent));
            foreach (SpeechChunk chunk in Feed(piece.Samples, kept.start + sent, frames.Silence, frames.Speech, maxFrames, budget))
            {
                yield return chunk;
            }
            if (!segment.IsPause)
            {
                metrics.SegmentSynthesized(engine.Name);
            }
            var timing = new SegmentTiming(segment.Index, segment.Start, segment.Length,
                timeline.ToOutputTime(segmentStart), timeline.ToOutputTime(timeline.Frames), words);
            yield return new SpeechChunk(encoded.TakePending()) { Segment = timing };
        }

        framesOut += Encode(chain.Flush(), encoder, encoded);
        encoder.Finish(encoded);
        var duration = TimeSpan.FromSeconds((double)framesOut / output.SampleRate);
        metrics.SynthesisCompleted(engine.Name, characters(), duration);
        yield return new SpeechChunk(encoded.TakePending())
        {
            Summary = new SpeechSummary(characters(), duration, encoded.Position, output.Format, output.SampleRate,
                output.Channels, encoder.EffectiveBitrate, segmentCount, encoded.Patches),
        };
    }

    /// <summary>
    /// One segment's audio as the engine made it (all of it: the engine is done when this exists), with the words it
    /// reported; for a pause, how many frames of silence it takes before time-stretching, so it lasts as long as asked;
    /// for the rest of a sentence cut short, how long the join before it lasts (frames at the engine's rate).
    /// </summary>
    private sealed record SegmentAudio(TextSegment Segment, float[] Samples, IReadOnlyList<WordTiming> Words, long PauseFrames = 0, int JoinFrames = 0)
    {
        /// <summary>
        /// The chunks of a segment its engine is still computing (a stream's first), as they come; <see cref="Samples"/>
        /// and <see cref="Words"/> are empty until they have all come.
        /// </summary>
        public IAsyncEnumerable<PcmChunk>? Live { get; init; }
    }

    /// <summary>Segments one at a time, each computed under its own engine turn when the reader asks for it.</summary>
    private async IAsyncEnumerable<SegmentAudio> SequentialAsync(SpeechPlan plan, LocalSynthesis local, IAsyncEnumerable<TextSegment> segments,
        IEngineTurns turns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SegmentCut cutBefore = SegmentCut.None;
        bool firstSpeech = plan.Request.Streamed && _streaming.FirstSegmentIncremental;
        await foreach (TextSegment segment in segments.WithCancellation(cancellationToken))
        {
            SegmentCut cut = cutBefore;
            cutBefore = segment.Cut;
            if (segment.IsPause)
            {
                turns.Forgo();
                yield return Pause(plan, local, segment);
                continue;
            }
            if (firstSpeech && cut == SegmentCut.None && segment.Style is null)
            {
                // A stream's first audio: it goes while the engine computes it. The engine runs under its turn on its
                // own, so a slow reader holds neither; the audio waiting for the reader is this one segment's.
                firstSpeech = false;
                yield return new SegmentAudio(segment, [], [])
                {
                    Live = BackgroundStream.StreamAsync<PcmChunk>(async (sink, token) =>
                    {
                        using (await turns.TakeAsync(token))
                        {
                            await foreach (PcmChunk chunk in EngineChunksAsync(plan, local, segment, incremental: true, token))
                            {
                                if (!sink(chunk))
                                {
                                    return;
                                }
                            }
                        }
                    }, cancellationToken),
                };
                continue;
            }
            firstSpeech = false;
            SegmentAudio audio;
            using (await turns.TakeAsync(cancellationToken))
            {
                audio = await CollectAsync(plan, local, segment, cut, cancellationToken);
            }
            yield return audio;
        }
    }

    private static SegmentAudio Pause(SpeechPlan plan, LocalSynthesis local, TextSegment segment) =>
        new(segment, [], [], (long)Math.Round(segment.Pause.TotalSeconds * plan.Voice.SampleRate * local.Tempo));

    /// <summary>
    /// Keeps <paramref name="parallelism"/> segments synthesising at once, and twice that many queued or done ahead,
    /// so the engines stay busy while the consumer encodes; yields the segments in order.
    /// </summary>
    private async IAsyncEnumerable<SegmentAudio> PrefetchAsync(SpeechPlan plan, LocalSynthesis local,
        int parallelism, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var engines = new SemaphoreSlim(parallelism, parallelism);
        var window = new Queue<Task<SegmentAudio>>();
        IReadOnlyList<TextSegment> segments = plan.Text.Segments;
        int next = 0;
        try
        {
            while (true)
            {
                while (window.Count < 2 * parallelism && next < segments.Count)
                {
                    SegmentCut cutBefore = next > 0 ? segments[next - 1].Cut : SegmentCut.None;
                    TextSegment segment = segments[next++];
                    window.Enqueue(segment.IsPause ? Task.FromResult(Pause(plan, local, segment)) : Task.Run(async () =>
                    {
                        await engines.WaitAsync(stop.Token);
                        try
                        {
                            return await CollectAsync(plan, local, segment, cutBefore, stop.Token);
                        }
                        finally
                        {
                            engines.Release();
                        }
                    }, stop.Token));
                }
                if (window.Count == 0)
                {
                    yield break;
                }
                yield return await window.Dequeue();
            }
        }
        finally
        {
            // Abandoned early (cancelled, or an earlier segment failed): stop the work still ahead and let it end,
            // so no engine call outlives the synthesis. Its outcome no longer matters.
            stop.Cancel();
            foreach (Task<SegmentAudio> pending in window)
            {
                await Task.WhenAny(pending);
            }
        }
    }

    /// <summary>All of a segment's audio from its engine, in one array, with its words (and the join before it, if any).</summary>
    /// <param name="cutBefore">How the segment before this one was cut short inside their sentence, if it was.</param>
    private async Task<SegmentAudio> CollectAsync(SpeechPlan plan, LocalSynthesis local, TextSegment segment, SegmentCut cutBefore,
        CancellationToken cancellationToken)
    {
        var chunks = new List<float[]>();
        var words = new List<WordTiming>();
        long frames = 0;
        await foreach (PcmChunk pcm in EngineChunksAsync(plan, local, segment, incremental: false, cancellationToken))
        {
            chunks.Add(pcm.Samples);
            words.AddRange(pcm.Words);
            frames += pcm.Samples.Length;
        }
        float[] samples = chunks.Count == 1 ? chunks[0] : new float[frames];
        if (chunks.Count > 1)
        {
            int at = 0;
            foreach (float[] chunk in chunks)
            {
                chunk.CopyTo(samples, at);
                at += chunk.Length;
            }
        }
        IReadOnlyList<WordTiming> timings = words;
        if (segment.Style is { ChangesAudio: true } style)
        {
            (samples, timings) = SegmentProsody.Apply(samples, words, style, plan.Voice.SampleRate);
        }
        int join = 0;
        if (_audio.TrimSilence && cutBefore != SegmentCut.None)
        {
            int comma = await clausePauses.FramesAsync(local.Engine, plan.Voice, plan.Request.Reference, cancellationToken);
            // Between words, where the uncut sentence has no pause at all, a third: a phrase boundary, not a comma.
            join = (int)(comma / local.EngineSpeed / (cutBefore == SegmentCut.Word ? 3 : 1));
        }
        return new SegmentAudio(segment, samples, timings, 0, join);
    }

    /// <summary>A segment's audio from its engine as the engine yields it, its failures reported as this segment's.</summary>
    private static async IAsyncEnumerable<PcmChunk> EngineChunksAsync(SpeechPlan plan, LocalSynthesis local, TextSegment segment, bool incremental,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ISpeechEngine engine = local.Engine;
        // An SSML segment may be another voice of the same engine and rate (SegmentVoices): spoken alone, not blended.
        VoiceInfo voice = segment.Style?.Voice ?? plan.Voice;
        var request = new EngineRequest(segment.Text, voice, local.EngineSpeed, segment.Style?.Voice is null ? local.Mix : null, plan.Request.Reference)
        {
            Incremental = incremental,
        };
        await using IAsyncEnumerator<PcmChunk> enumerator = engine.SynthesizeAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await MoveNextAsync(enumerator, engine, voice, segment))
        {
            CheckRate(enumerator.Current, engine, voice);
            yield return enumerator.Current;
        }
    }

    private static void CheckRate(PcmChunk pcm, ISpeechEngine engine, VoiceInfo voice)
    {
        if (pcm.SampleRate != voice.SampleRate)
        {
            throw new SpeechSynthesisException(
                $"Engine {engine.Name} returned {pcm.SampleRate} Hz for voice {voice.Id}, which declares {voice.SampleRate} Hz.");
        }
    }

    private IAudioEncoder CreateEncoder(EncoderSettings settings)
    {
        try
        {
            return encoders.Create(settings);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            throw new SpeechSynthesisException($"The {AudioFormats.Name(settings.Format)} encoder could not start: {ex.Message}", ex);
        }
    }

    private static AudioChain BuildChain(SpeechPlan plan, double tempo) => new AudioChainSpec(
        plan.Voice.SampleRate,
        plan.Output.SampleRate,
        plan.Output.Channels,
        tempo,
        plan.Gain,
        plan.Effects.PitchSemitones,
        plan.Effects.Timbre,
        plan.Effects.Intensity,
        plan.Effects.Effect,
        plan.Effects.Watermark).Build();

    /// <summary>Encodes processed samples; returns the frames encoded.</summary>
    private static long Encode(ReadOnlySpan<float> samples, IAudioEncoder encoder, EncodedOutput output)
    {
        try
        {
            encoder.Encode(samples, output);
        }
        catch (InvalidOperationException ex)
        {
            throw new SpeechSynthesisException($"The {AudioFormats.Name(encoder.Settings.Format)} encoder failed: {ex.Message}", ex);
        }
        return samples.Length / encoder.Settings.Channels;
    }

    /// <summary>Advances an engine's enumerator, reporting its failures as synthesis failures of this segment.</summary>
    private static async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<PcmChunk> chunks, ISpeechEngine engine, VoiceInfo voice, TextSegment segment)
    {
        try
        {
            return await chunks.MoveNextAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not SpeechSynthesisException)
        {
            throw new SpeechSynthesisException(
                $"Engine {engine.Name} failed on segment {segment.Index} with voice {voice.Id}: {ex.Message}", ex);
        }
    }

    /// <summary>Maps the engine frames fed to the chain (edge silence already dropped) to times in the output, after time-stretching.</summary>
    private sealed class Timeline(int engineRate, double tempo)
    {
        public long Frames { get; set; }

        public TimeSpan ToOutputTime(long engineFrame) => TimeSpan.FromSeconds(engineFrame / (double)engineRate / tempo);
    }
}
