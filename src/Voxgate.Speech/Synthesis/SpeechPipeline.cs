using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Runs a plan. Locally: each text segment through its engine, the PCM through the audio chain, the samples through
/// the encoder, yielding encoded bytes as soon as each segment is done. Upstream: the provider's audio, as it
/// arrives. Pull-driven either way: a slow reader slows synthesis rather than buffering it.
/// </summary>
public sealed class SpeechPipeline(
    AudioEncoderFactory encoders,
    UpstreamSpeechClient upstreams,
    SpeechMetrics metrics,
    IOptions<AudioOptions> audioOptions)
{
    private readonly AudioOptions _audio = audioOptions.Value;

    public IAsyncEnumerable<SpeechChunk> RunAsync(SpeechPlan plan, CancellationToken cancellationToken) => RunAsync(plan, 1, cancellationToken);

    /// <param name="parallelism">
    /// Segments synthesised at once ahead of the one being encoded. 1 (interactive requests) streams each segment's
    /// audio as the engine produces it; more (long asynchronous tasks) spreads synthesis across cores while the chain
    /// and encoder, which carry state from segment to segment, take the segments in order.
    /// </param>
    public IAsyncEnumerable<SpeechChunk> RunAsync(SpeechPlan plan, int parallelism, CancellationToken cancellationToken) => plan.Route switch
    {
        LocalSynthesis local => RunLocalAsync(plan, local, parallelism, cancellationToken),
        UpstreamSynthesis upstream => RunUpstreamAsync(plan, upstream.Upstream, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(plan)),
    };

    private async IAsyncEnumerable<SpeechChunk> RunUpstreamAsync(SpeechPlan plan, UpstreamRoute route,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long bytes = 0;
        await foreach (ReadOnlyMemory<byte> audio in upstreams.StreamAsync(plan, route, cancellationToken))
        {
            bytes += audio.Length;
            yield return new SpeechChunk(audio);
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

    private async IAsyncEnumerable<SpeechChunk> RunLocalAsync(SpeechPlan plan, LocalSynthesis local, int parallelism,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ISpeechEngine engine = local.Engine;
        EncoderSettings output = plan.Output;
        using IAudioEncoder encoder = CreateEncoder(output);
        using AudioChain chain = BuildChain(plan, local.Tempo);
        var timeline = new Timeline(plan.Voice.SampleRate, local.Tempo, chain);
        var encoded = new EncodedOutput();
        long framesOut = 0;

        IAsyncEnumerable<(TextSegment, IAsyncEnumerable<PcmChunk>)> segments = parallelism <= 1
            ? plan.Text.Segments.Select(segment => (segment, SegmentAudio(plan, local, segment, cancellationToken))).ToAsyncEnumerable()
            : PrefetchAsync(plan, local, parallelism, cancellationToken);
        await foreach ((TextSegment segment, IAsyncEnumerable<PcmChunk> audio) in segments.WithCancellation(cancellationToken))
        {
            long segmentStart = timeline.EngineFrames;
            var words = new List<WordSpan>();
            await using (IAsyncEnumerator<PcmChunk> chunks = audio.GetAsyncEnumerator(cancellationToken))
            {
                while (await MoveNextAsync(chunks, engine, plan.Voice, segment))
                {
                    PcmChunk pcm = chunks.Current;
                    if (pcm.SampleRate != plan.Voice.SampleRate)
                    {
                        throw new SpeechSynthesisException(
                            $"Engine {engine.Name} returned {pcm.SampleRate} Hz for voice {plan.Voice.Id}, which declares {plan.Voice.SampleRate} Hz.");
                    }
                    foreach (WordTiming word in pcm.Words)
                    {
                        words.Add(new WordSpan(segment.Start + word.TextIndex, word.TextLength, timeline.At(segmentStart, word.Offset)));
                    }
                    framesOut += Encode(chain.Process(pcm.Samples), encoder, encoded);
                    timeline.EngineFrames += pcm.Samples.Length;
                }
            }
            if (!segment.IsPause)
            {
                metrics.SegmentSynthesized(engine.Name);
            }
            var timing = new SegmentTiming(segment.Index, segment.Start, segment.Length,
                timeline.ToOutputTime(segmentStart), timeline.ToOutputTime(timeline.EngineFrames), words);
            yield return new SpeechChunk(encoded.TakePending()) { Segment = timing };
        }

        framesOut += Encode(chain.Flush(), encoder, encoded);
        encoder.Finish(encoded);
        var duration = TimeSpan.FromSeconds((double)framesOut / output.SampleRate);
        metrics.SynthesisCompleted(engine.Name, plan.Text.Characters, duration);
        yield return new SpeechChunk(encoded.TakePending())
        {
            Summary = new SpeechSummary(plan.Text.Characters, duration, encoded.Position, output.Format, output.SampleRate,
                output.Channels, encoder.EffectiveBitrate, plan.Text.Segments.Count, encoded.Patches),
        };
    }

    /// <summary>
    /// A segment's audio: the engine's for speech; for a pause, silence that lasts the pause once time-stretched
    /// (a pause is as long as asked, whatever the speed).
    /// </summary>
    private static IAsyncEnumerable<PcmChunk> SegmentAudio(SpeechPlan plan, LocalSynthesis local, TextSegment segment, CancellationToken cancellationToken)
    {
        if (segment.IsPause)
        {
            int rate = plan.Voice.SampleRate;
            return new[] { new PcmChunk(new float[(int)Math.Round(segment.Pause.TotalSeconds * rate * local.Tempo)], rate, []) }.ToAsyncEnumerable();
        }
        return local.Engine.SynthesizeAsync(new EngineRequest(segment.Text, plan.Voice, local.EngineSpeed, local.Mix), cancellationToken);
    }

    /// <summary>
    /// Keeps <paramref name="parallelism"/> segments synthesising at once, and twice that many queued or done ahead,
    /// so the engines stay busy while the consumer encodes; yields the segments in order.
    /// </summary>
    private static async IAsyncEnumerable<(TextSegment, IAsyncEnumerable<PcmChunk>)> PrefetchAsync(SpeechPlan plan, LocalSynthesis local,
        int parallelism, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var engines = new SemaphoreSlim(parallelism, parallelism);
        var window = new Queue<(TextSegment Segment, Task<List<PcmChunk>> Audio)>();
        IReadOnlyList<TextSegment> segments = plan.Text.Segments;
        int next = 0;
        try
        {
            while (true)
            {
                while (window.Count < 2 * parallelism && next < segments.Count)
                {
                    TextSegment segment = segments[next++];
                    window.Enqueue((segment, Task.Run(async () =>
                    {
                        await engines.WaitAsync(stop.Token);
                        try
                        {
                            return await CollectAsync(SegmentAudio(plan, local, segment, stop.Token), local.Engine, plan.Voice, segment);
                        }
                        finally
                        {
                            engines.Release();
                        }
                    }, stop.Token)));
                }
                if (window.Count == 0)
                {
                    yield break;
                }
                (TextSegment ready, Task<List<PcmChunk>> audio) = window.Dequeue();
                yield return (ready, (await audio).ToAsyncEnumerable());
            }
        }
        finally
        {
            // Abandoned early (cancelled, or an earlier segment failed): stop the work still ahead and let it end,
            // so no engine call outlives the synthesis. Its outcome no longer matters.
            stop.Cancel();
            foreach ((_, Task<List<PcmChunk>> pending) in window)
            {
                await Task.WhenAny(pending);
            }
        }
    }

    private static async Task<List<PcmChunk>> CollectAsync(IAsyncEnumerable<PcmChunk> audio, ISpeechEngine engine, VoiceInfo voice, TextSegment segment)
    {
        var chunks = new List<PcmChunk>();
        await using IAsyncEnumerator<PcmChunk> enumerator = audio.GetAsyncEnumerator();
        while (await MoveNextAsync(enumerator, engine, voice, segment))
        {
            chunks.Add(enumerator.Current);
        }
        return chunks;
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

    private AudioChain BuildChain(SpeechPlan plan, double tempo) => new AudioChainSpec(
        plan.Voice.SampleRate,
        plan.Output.SampleRate,
        plan.Output.Channels,
        tempo,
        plan.Gain,
        _audio.TrimSilence ? _audio.SilenceThreshold : null,
        TimeSpan.FromMilliseconds(_audio.LeadingPadMs),
        TimeSpan.FromMilliseconds(_audio.TrailingPadMs),
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

    /// <summary>Maps positions in the engine's audio to times in the output (after trimming and time-stretching).</summary>
    private sealed class Timeline(int engineRate, double tempo, AudioChain chain)
    {
        private readonly SilenceTrimStage? _trim = chain.Stages.OfType<SilenceTrimStage>().FirstOrDefault();

        public long EngineFrames { get; set; }

        public TimeSpan ToOutputTime(long engineFrame)
        {
            long dropped = _trim?.LeadingFramesDropped ?? 0;
            double seconds = Math.Max(0, engineFrame - dropped) / (double)engineRate / tempo;
            return TimeSpan.FromSeconds(seconds);
        }

        public TimeSpan At(long segmentStartFrame, TimeSpan offsetInSegment) =>
            ToOutputTime(segmentStartFrame + (long)(offsetInSegment.TotalSeconds * engineRate));
    }
}
