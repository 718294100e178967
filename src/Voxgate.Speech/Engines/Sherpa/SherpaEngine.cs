using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Voxgate.Speech.Models;
using Voxgate.Speech.Native;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Engines.Sherpa;

/// <summary>
/// One installed neural model served through sherpa-onnx: its speakers are the engine's voices (<c>kokoro:af_heart</c>,
/// also answering to the bare <c>af_heart</c>). Generation runs on a worker thread and hands each sentence's samples
/// over as the library produces them, so a segment's audio streams before the whole segment is done. Up to
/// <see cref="ModelOptions.MaxConcurrentPerModel"/> generations run at once on the one handle.
/// </summary>
public class SherpaEngine : ISpeechEngine, IDisposable
{
    private readonly SherpaOnnx.TtsHandle _handle;
    private readonly SemaphoreSlim _slots;
    private readonly int _maxConcurrent;
    private readonly Dictionary<string, ModelSpeaker> _speakers = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _closing = new();
    private bool _disposed;

    /// <exception cref="InvalidOperationException">sherpa-onnx refused the model (its reason is on the process's stderr).</exception>
    protected SherpaEngine(InstalledModel model, ModelOptions options, string version)
    {
        Model = model;
        Options = options;
        long before = Environment.WorkingSet;
        _handle = CreateHandle(model, options, voicesOverride: null);
        MemoryBytes = Math.Max(0, Environment.WorkingSet - before);
        SampleRate = SherpaOnnx.SampleRate(_handle);
        _maxConcurrent = Math.Max(1, options.MaxConcurrentPerModel);
        _slots = new SemaphoreSlim(_maxConcurrent, _maxConcurrent);
        Version = $"{model.Manifest.Id} (sherpa-onnx {version})";
        ModelManifest manifest = model.Manifest;
        bool cloning = manifest.Kind is ModelKind.ZipVoice or ModelKind.PocketTts;
        // Pocket TTS has no speed of its own (the chain stretches); the others scale their durations.
        NativeSpeed = manifest.Kind == ModelKind.PocketTts ? SpeedRange.None : new(0.5, 2.0);
        var voices = new List<VoiceInfo>();
        foreach (ModelSpeaker speaker in manifest.Speakers)
        {
            string id = $"{manifest.Engine}:{speaker.Name}";
            // A cloning model's voice is "clone" in every such model: only its full id and the engine name are unambiguous.
            List<string> aliases = cloning ? [] : [speaker.Name];
            if (manifest.Speakers.Count == 1)
            {
                aliases.Add(manifest.Engine); // a single-voice model answers to its own name too
            }
            voices.Add(new VoiceInfo(id, manifest.Engine, speaker.Name, speaker.Language, speaker.Gender, SampleRate)
            {
                Description = $"{manifest.Description} (speaker {speaker.Id})",
                Aliases = aliases,
            });
            _speakers[id] = speaker;
        }
        Voices = voices;
    }

    /// <summary>
    /// Loads the model: a blending engine for Kokoro and Kitten, whose speakers are style vectors; a cloning engine
    /// for ZipVoice and Pocket TTS, which speak like the request's reference recording.
    /// </summary>
    public static SherpaEngine Load(InstalledModel model, ModelOptions options)
    {
        SherpaOnnx.UseLibraryDirectory(options.LibraryDirectory);
        string version = SherpaOnnx.Version();
        SherpaOnnx.CheckVersion();
        Libc.KeepFreedMemoryForReuse();
        return model.Manifest.Kind switch
        {
            ModelKind.Kokoro or ModelKind.Kitten => new BlendingSherpaEngine(model, options, version),
            ModelKind.ZipVoice or ModelKind.PocketTts => new CloningSherpaEngine(model, options, version),
            _ => new SherpaEngine(model, options, version),
        };
    }

    public InstalledModel Model { get; }

    protected ModelOptions Options { get; }

    public string Name => Model.Manifest.Engine;

    public string Version { get; }

    public IReadOnlyList<VoiceInfo> Voices { get; }

    public int SampleRate { get; }

    /// <summary>How much the process's resident memory grew while the model loaded (reported in /readyz).</summary>
    public long MemoryBytes { get; protected set; }

    /// <summary>sherpa-onnx scales the model's durations (length scale = 1/speed); beyond this range the chain stretches.</summary>
    public SpeedRange NativeSpeed { get; }

    public int ActiveGenerations => _maxConcurrent - _slots.CurrentCount;

    /// <summary>The most generations that have run at once (it never exceeds the configured limit).</summary>
    public int PeakGenerations => Volatile.Read(ref _peak);

    private int _peak;

    public async IAsyncEnumerable<PcmChunk> SynthesizeAsync(EngineRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token))
        {
            try
            {
                await _slots.WaitAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SpeechSynthesisException($"The model '{Model.Manifest.Id}' was unloaded while this request waited for it; retry.");
            }
        }
        // Taken with the slot, not before it: requests waiting for a slot pin no blend handles, so at most the
        // loaded blends and one per running generation are in memory.
        HandleLease lease;
        SherpaReference? reference;
        try
        {
            // The reference is prepared (resampled) under the slot too: at most one copy per running generation.
            reference = ReferenceFor(request);
            lease = HandleFor(request);
        }
        catch
        {
            _slots.Release();
            throw;
        }
        for (int active = ActiveGenerations, peak = _peak; active > peak; peak = _peak)
        {
            Interlocked.CompareExchange(ref _peak, active, peak);
        }
        // Stopped when the request is cancelled, and when the reader goes away early: nobody would hear the rest.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = Channel.CreateUnbounded<float[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sink = new ChannelSink(output.Writer, stop.Token);
        string[] pieces = Pieces(request.Text);
        Task<bool> generation = Task.Run(() =>
        {
            bool produced = false;
            foreach (string piece in pieces)
            {
                produced |= SherpaOnnx.Generate(lease.Handle, piece, lease.SpeakerId, (float)request.Speed, reference, sink);
                if (stop.IsCancellationRequested)
                {
                    break;
                }
            }
            return produced;
        }, CancellationToken.None);
        _ = generation.ContinueWith(finished =>
        {
            try
            {
                lease.Dispose(); // before the slot: once Dispose holds every slot, no handle is lent out
                _slots.Release();
            }
            finally
            {
                // After the slot: a reader that has seen its stream end finds the model's slot free again.
                output.Writer.TryComplete(finished.Exception?.InnerException);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        long produced = 0;
        try
        {
            await foreach (float[] samples in output.Reader.ReadAllAsync(cancellationToken))
            {
                produced += samples.Length;
                yield return new PcmChunk(samples, SampleRate, []);
            }
            if (!await generation && produced == 0)
            {
                throw new SpeechSynthesisException($"The model '{Model.Manifest.Id}' produced no audio for this text (sherpa-onnx printed why on stderr).");
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>
    /// The text in pieces short enough for the model: at most half its token limit by a deliberately generous estimate
    /// (<see cref="Weight"/>), cut between words (or characters, in scripts without spaces). sherpa-onnx 1.13.8 aborts
    /// the whole process when a Kokoro chunk reaches the limit, so this is a guard for the process, not a nicety.
    /// Sentences are usually far shorter and stay whole.
    /// </summary>
    private string[] Pieces(string text)
    {
        if (Model.Manifest.MaxTokens is not int maxTokens || Weight(text) <= maxTokens / 2)
        {
            return [text];
        }
        int limit = Math.Max(8, maxTokens / 2);
        var pieces = new List<string>();
        var current = new System.Text.StringBuilder();
        int currentWeight = 0;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // A word too heavy for one piece (a run of CJK text, or a very long token) is taken a character at a time.
            IEnumerable<string> units = Weight(word) <= limit ? [word] : word.EnumerateRunes().Select(r => r.ToString());
            bool first = true;
            foreach (string unit in units)
            {
                int weight = Weight(unit);
                if (currentWeight > 0 && currentWeight + weight + 1 > limit)
                {
                    pieces.Add(current.ToString());
                    (current, currentWeight) = (current.Clear(), 0);
                }
                bool space = currentWeight > 0 && first;
                current.Append(space ? " " : "").Append(unit);
                currentWeight += weight + (space ? 1 : 0);
                first = false;
            }
        }
        if (current.Length > 0)
        {
            pieces.Add(current.ToString());
        }
        return [.. pieces];
    }

    /// <summary>
    /// An upper estimate of the tokens a text becomes: a phoneme per letter; five per digit (numbers are read out in
    /// words); eight per Chinese, Japanese or Korean character (a syllable is three or four, and a voice of another
    /// language spells the character's name out).
    /// </summary>
    private static int Weight(string text)
    {
        int weight = 0;
        foreach (System.Text.Rune rune in text.EnumerateRunes())
        {
            weight += rune.Value switch
            {
                >= 0x2E80 and <= 0x9FFF or >= 0xAC00 and <= 0xD7AF or >= 0xF900 and <= 0xFAFF or >= 0x20000 => 8,
                _ when System.Text.Rune.IsDigit(rune) => 5,
                _ => 1,
            };
        }
        return weight;
    }

    /// <summary>
    /// The handle and speaker id for one generation, lent until it ends: the model's own (freed only after every
    /// generation has ended, so lent without counting), or a blend's (see <see cref="BlendingSherpaEngine"/>).
    /// </summary>
    private protected virtual HandleLease HandleFor(EngineRequest request) => new(_handle, SpeakerOf(request.Voice).Id, giveBack: null);

    /// <summary>The reference recording a cloning model speaks like (see <see cref="CloningSherpaEngine"/>); null for the others.</summary>
    private protected virtual SherpaReference? ReferenceFor(EngineRequest request) => null;

    protected ModelSpeaker SpeakerOf(VoiceInfo voice) =>
        _speakers.TryGetValue(voice.Id, out ModelSpeaker? speaker)
            ? speaker
            : throw new SpeechSynthesisException($"Voice {voice.Id} is not a speaker of the model '{Model.Manifest.Id}'.");

    internal static SherpaOnnx.TtsHandle CreateHandle(InstalledModel model, ModelOptions options, string? voicesOverride)
    {
        ModelManifest manifest = model.Manifest;
        SherpaModelConfig config = manifest.ToSherpaConfig(model.Directory, options.ThreadsPerGeneration, voicesOverride);
        if (config.DataDir is null || !Directory.Exists(config.DataDir))
        {
            config = config with { DataDir = options.FallbackDataDirectory };
        }
        config = config with { VoiceCacheCapacity = Math.Max(0, options.MaxVoiceEmbeddings) };
        return SherpaOnnx.Create(config)
            ?? throw new InvalidOperationException($"sherpa-onnx refused the model '{manifest.Id}' (its reason is on the server's stderr; 'voxgate models verify {manifest.Id}' shows it).");
    }

    /// <summary>Waits for the generations in flight, then frees the model.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _closing.Cancel(); // requests still waiting for a slot give up rather than wait for a model that is going away
        for (int i = 0; i < _maxConcurrent; i++)
        {
            _slots.Wait();
        }
        Dispose(true);
        _handle.Dispose();
        _closing.Dispose();
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>
    /// Passes the library's samples to the reader. The channel is unbounded because a segment is one sentence (seconds
    /// of audio); it never blocks the library's thread, and a reader that goes away stops generation at the next sentence.
    /// </summary>
    private sealed class ChannelSink(ChannelWriter<float[]> writer, CancellationToken stop) : ISherpaSamplesSink
    {
        /// <summary>Below the large-object heap's threshold (85,000 bytes), so chunks die young instead of forcing full collections.</summary>
        private const int MaxChunk = 16 * 1024;

        public bool OnSamples(ReadOnlySpan<float> samples, float progress)
        {
            for (int start = 0; start < samples.Length && !stop.IsCancellationRequested; start += MaxChunk)
            {
                ReadOnlySpan<float> part = samples.Slice(start, Math.Min(MaxChunk, samples.Length - start));
                float[] copy = GC.AllocateUninitializedArray<float>(part.Length); // overwritten at once: no need to zero it
                part.CopyTo(copy);
                if (!writer.TryWrite(copy))
                {
                    return false;
                }
            }
            return !stop.IsCancellationRequested;
        }
    }
}
