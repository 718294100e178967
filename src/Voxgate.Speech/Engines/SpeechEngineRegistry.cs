using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Engines;

/// <summary>
/// The engines this process serves and every voice they offer. The embedded engines are created at start-up; an
/// engine that fails to load (its native library missing, say) is recorded with the reason and left out, and the
/// others still serve. Neural models come and go while the server runs (installed, verified, removed), so the
/// registry is an immutable snapshot swapped whole: readers never lock and never see half an update.
/// </summary>
public sealed partial class SpeechEngineRegistry
{
    private readonly Lock _writer = new();
    private readonly ILogger<SpeechEngineRegistry> _logger;
    private Snapshot _current = Snapshot.Empty;

    private sealed record Snapshot(
        IReadOnlyList<ISpeechEngine> Engines,
        IReadOnlyList<EngineLoadFailure> Failures,
        IReadOnlyDictionary<string, (VoiceInfo Voice, ISpeechEngine Engine)> Index)
    {
        public static Snapshot Empty { get; } = new([], [], new Dictionary<string, (VoiceInfo, ISpeechEngine)>());

        public IReadOnlyList<VoiceInfo> Voices { get; } = [.. Engines.SelectMany(e => e.Voices)];

        /// <summary>Voice ids first, then aliases, each name to the first engine that claims it.</summary>
        public static Snapshot Of(IReadOnlyList<ISpeechEngine> engines, IReadOnlyList<EngineLoadFailure> failures)
        {
            var index = new Dictionary<string, (VoiceInfo, ISpeechEngine)>(StringComparer.OrdinalIgnoreCase);
            foreach (ISpeechEngine engine in engines)
            {
                foreach (VoiceInfo voice in engine.Voices)
                {
                    index.TryAdd(voice.Id, (voice, engine));
                }
            }
            foreach (ISpeechEngine engine in engines)
            {
                foreach (VoiceInfo voice in engine.Voices)
                {
                    foreach (string alias in voice.Aliases)
                    {
                        index.TryAdd(alias, (voice, engine));
                    }
                }
            }
            return new Snapshot(engines, failures, index);
        }
    }

    public SpeechEngineRegistry(IEnumerable<ISpeechEngineProvider> providers, IOptions<EngineOptions> options, ILogger<SpeechEngineRegistry> logger)
    {
        _logger = logger;
        var enabled = new HashSet<string>(options.Value.Enabled, StringComparer.OrdinalIgnoreCase);
        foreach (ISpeechEngineProvider provider in providers)
        {
            if (!enabled.Contains(provider.Name))
            {
                continue;
            }
            try
            {
                Add(provider.Create());
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or NotSupportedException)
            {
                ReportFailure(provider.Name, ex.Message);
            }
        }
    }

    public IReadOnlyList<ISpeechEngine> Engines => Volatile.Read(ref _current).Engines;

    public IReadOnlyList<EngineLoadFailure> Failures => Volatile.Read(ref _current).Failures;

    public IReadOnlyList<VoiceInfo> Voices => Volatile.Read(ref _current).Voices;

    /// <summary>Finds a voice by its id or one of its engine aliases.</summary>
    public bool TryGetVoice(string id, out VoiceInfo voice, out ISpeechEngine engine)
    {
        if (Volatile.Read(ref _current).Index.TryGetValue(id, out var entry))
        {
            (voice, engine) = entry;
            return true;
        }
        voice = null!;
        engine = null!;
        return false;
    }

    /// <summary>
    /// The voices of the installed cloning engines (<see cref="IVoiceCloning"/>), in the order the engines were
    /// loaded; empty when no cloning model is installed.
    /// </summary>
    public IReadOnlyList<VoiceInfo> CloningVoices =>
        [.. Engines.Where(e => e is IVoiceCloning).SelectMany(e => e.Voices)];

    public bool IsLoaded(string engineName) => Engines.Any(e => e.Name.Equals(engineName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds an engine (clearing a failure recorded under its name).</summary>
    /// <exception cref="InvalidOperationException">Another engine already has the name.</exception>
    public void Add(ISpeechEngine engine)
    {
        lock (_writer)
        {
            Snapshot current = _current;
            if (current.Engines.Any(e => e.Name.Equals(engine.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"An engine named '{engine.Name}' is already loaded.");
            }
            Volatile.Write(ref _current, Snapshot.Of([.. current.Engines, engine], [.. current.Failures.Where(f => !Same(f.Engine, engine.Name))]));
        }
        LogEngineLoaded(_logger, engine.Name, engine.Version, engine.Voices.Count);
    }

    /// <summary>Takes an engine out of service; requests already using it finish. Returns it, or null.</summary>
    public ISpeechEngine? Remove(string engineName)
    {
        lock (_writer)
        {
            Snapshot current = _current;
            ISpeechEngine? removed = current.Engines.FirstOrDefault(e => Same(e.Name, engineName));
            if (removed is not null)
            {
                Volatile.Write(ref _current, Snapshot.Of([.. current.Engines.Where(e => e != removed)], current.Failures));
            }
            return removed;
        }
    }

    /// <summary>Records why an engine is not serving (replacing an earlier reason for the same name).</summary>
    public void ReportFailure(string engineName, string reason)
    {
        lock (_writer)
        {
            Snapshot current = _current;
            Volatile.Write(ref _current, Snapshot.Of(current.Engines,
                [.. current.Failures.Where(f => !Same(f.Engine, engineName)), new EngineLoadFailure(engineName, reason)]));
        }
        LogEngineFailed(_logger, engineName, reason);
    }

    public void ClearFailure(string engineName)
    {
        lock (_writer)
        {
            Snapshot current = _current;
            Volatile.Write(ref _current, Snapshot.Of(current.Engines, [.. current.Failures.Where(f => !Same(f.Engine, engineName))]));
        }
    }

    private static bool Same(string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Engine {Engine} {Version} loaded with {VoiceCount} voices")]
    private static partial void LogEngineLoaded(ILogger logger, string engine, string version, int voiceCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Engine {Engine} is not serving: {Reason}")]
    private static partial void LogEngineFailed(ILogger logger, string engine, string reason);
}

/// <summary>Why an enabled engine is not serving.</summary>
public sealed record EngineLoadFailure(string Engine, string Reason);
