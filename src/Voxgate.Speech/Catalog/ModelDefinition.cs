namespace Voxgate.Speech.Catalog;

/// <summary>A model callers can name, as configured in the catalog.</summary>
public sealed class ModelDefinition
{
    /// <summary>Canonical id, e.g. <c>minimax/minimax-speech-02-hd</c> or <c>voxgate/flite</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Other names that resolve to this model (<c>tts-1</c>, <c>speech-02-hd</c>, ...).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>The name people read (<c>MiniMax Speech-02 HD</c>); the console shows the id when there is none.</summary>
    public string? Name { get; set; }

    public string OwnedBy { get; set; } = "voxgate";

    public string Description { get; set; } = "";

    /// <summary>What the model suits (<c>Voiceovers</c>, <c>Audiobooks</c>), shown on its console page.</summary>
    public List<string> UseCases { get; set; } = [];

    /// <summary>The local engine that serves the model (and serves it until its upstream is configured).</summary>
    public string Engine { get; set; } = "";

    /// <summary>
    /// The id of a catalog model this one is served like (a provider's models of one family, priced apart): while this
    /// one names no <see cref="Engine"/>, it takes that model's engine, default voice, voice names and preferred
    /// engines. <see cref="ModelCatalog"/> fills them in at start-up.
    /// </summary>
    public string? Like { get; set; }

    /// <summary>The upstream provider the model is meant to route to; served locally while none is configured.</summary>
    public string? Upstream { get; set; }

    /// <summary>The model's name at the upstream provider (<c>speech-02-hd</c>); the catalog id when not set.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>
    /// The routes to try in order, each an upstream provider's name (<c>backup</c>, or <c>backup:tts-1</c> to name the
    /// model there; else <see cref="UpstreamModel"/>) or <c>local</c> for <see cref="Engine"/>. A route that fails before
    /// any audio falls through to the next. Empty: just <see cref="Upstream"/>, as before routes existed.
    /// </summary>
    public List<string> Routes { get; set; } = [];

    /// <summary>The route name that stands for the model's own engine in <see cref="Routes"/>.</summary>
    public const string LocalRoute = "local";

    /// <summary>Price per 1,000 billable characters in micro-dollars (100000 = $0.10).</summary>
    public long PricePer1KCharactersMicros { get; set; }

    /// <summary>Voice used when a request's voice is an OpenAI name this model has no alias for.</summary>
    public string? DefaultVoice { get; set; }

    /// <summary>Model-specific voice names (e.g. <c>alloy</c> → <c>espeak:en-us</c>), checked before the global ones.</summary>
    public Dictionary<string, string> VoiceAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ModelCapabilities Capabilities { get; set; } = new();

    /// <summary>
    /// Engines to prefer, in order, when they are loaded (neural models a user installs): the first loaded one serves
    /// the model with its own voice names; while none is, <see cref="Engine"/> does.
    /// </summary>
    public List<EnginePreference> Prefer { get; set; } = [];

    public IEnumerable<string> Names => Aliases.Prepend(Id);

    /// <summary>What serves the model now: the first preferred engine that is loaded, else its own engine.</summary>
    public EnginePreference Serving(Func<string, bool> isLoaded) =>
        Prefer.FirstOrDefault(p => isLoaded(p.Engine)) ?? new EnginePreference { Engine = Engine, DefaultVoice = DefaultVoice, VoiceAliases = VoiceAliases };
}

/// <summary>An engine a model prefers when it is loaded, with the voice names that reach its voices.</summary>
public sealed class EnginePreference
{
    public string Engine { get; set; } = "";

    public string? DefaultVoice { get; set; }

    /// <summary>Names for this engine's voices (<c>alloy</c> → <c>kokoro:af_alloy</c>), checked before the model's and the catalog's.</summary>
    public Dictionary<string, string> VoiceAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>What a model supports, as advertised by <c>/v1/models</c>.</summary>
public sealed class ModelCapabilities
{
    public bool Streaming { get; set; } = true;

    public bool ServerSentEvents { get; set; } = true;

    public bool WordTimestamps { get; set; }

    public bool VoiceMixing { get; set; }

    public bool Instructions { get; set; }
}
