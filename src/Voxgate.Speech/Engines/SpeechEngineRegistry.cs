using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Engines;

/// <summary>
/// The engines this process loaded and every voice they offer. An engine that fails to load (its native library
/// missing, say) is recorded with the reason and left out; the others still serve.
/// </summary>
public sealed partial class SpeechEngineRegistry
{
    private readonly Dictionary<string, (VoiceInfo Voice, ISpeechEngine Engine)> _voices = new(StringComparer.OrdinalIgnoreCase);

    public SpeechEngineRegistry(IEnumerable<ISpeechEngineProvider> providers, IOptions<EngineOptions> options, ILogger<SpeechEngineRegistry> logger)
    {
        var engines = new List<ISpeechEngine>();
        var failures = new List<EngineLoadFailure>();
        var enabled = new HashSet<string>(options.Value.Enabled, StringComparer.OrdinalIgnoreCase);
        foreach (ISpeechEngineProvider provider in providers)
        {
            if (!enabled.Contains(provider.Name))
            {
                continue;
            }
            try
            {
                ISpeechEngine engine = provider.Create();
                engines.Add(engine);
                foreach (VoiceInfo voice in engine.Voices)
                {
                    _voices.TryAdd(voice.Id, (voice, engine));
                }
                foreach (VoiceInfo voice in engine.Voices)
                {
                    foreach (string alias in voice.Aliases)
                    {
                        _voices.TryAdd(alias, (voice, engine));
                    }
                }
                LogEngineLoaded(logger, engine.Name, engine.Version, engine.Voices.Count);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or NotSupportedException)
            {
                failures.Add(new EngineLoadFailure(provider.Name, ex.Message));
                LogEngineFailed(logger, provider.Name, ex.Message);
            }
        }
        Engines = engines;
        Failures = failures;
        Voices = [.. engines.SelectMany(e => e.Voices)];
    }

    public IReadOnlyList<ISpeechEngine> Engines { get; }

    public IReadOnlyList<EngineLoadFailure> Failures { get; }

    public IReadOnlyList<VoiceInfo> Voices { get; }

    /// <summary>Finds a voice by its id or one of its engine aliases.</summary>
    public bool TryGetVoice(string id, out VoiceInfo voice, out ISpeechEngine engine)
    {
        if (_voices.TryGetValue(id, out var entry))
        {
            (voice, engine) = entry;
            return true;
        }
        voice = null!;
        engine = null!;
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Engine {Engine} {Version} loaded with {VoiceCount} voices")]
    private static partial void LogEngineLoaded(ILogger logger, string engine, string version, int voiceCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Engine {Engine} failed to load and is disabled: {Reason}")]
    private static partial void LogEngineFailed(ILogger logger, string engine, string reason);
}

/// <summary>Why an enabled engine is not serving.</summary>
public sealed record EngineLoadFailure(string Engine, string Reason);
