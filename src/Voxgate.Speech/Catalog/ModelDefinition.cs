namespace Voxgate.Speech.Catalog;

/// <summary>A model callers can name, as configured in the catalog.</summary>
public sealed class ModelDefinition
{
    /// <summary>Canonical id, e.g. <c>minimax/minimax-speech-02-hd</c> or <c>voxgate/flite</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Other names that resolve to this model (<c>tts-1</c>, <c>speech-02-hd</c>, ...).</summary>
    public List<string> Aliases { get; set; } = [];

    public string OwnedBy { get; set; } = "voxgate";

    public string Description { get; set; } = "";

    /// <summary>The local engine that serves the model (and serves it until its upstream is configured).</summary>
    public string Engine { get; set; } = "";

    /// <summary>The upstream provider the model is meant to route to; served locally while none is configured.</summary>
    public string? Upstream { get; set; }

    /// <summary>The model's name at the upstream provider (<c>speech-02-hd</c>); the catalog id when not set.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>Price per 1,000 billable characters in micro-dollars (100000 = $0.10).</summary>
    public long PricePer1KCharactersMicros { get; set; }

    /// <summary>Voice used when a request's voice is an OpenAI name this model has no alias for.</summary>
    public string? DefaultVoice { get; set; }

    /// <summary>Model-specific voice names (e.g. <c>alloy</c> → <c>espeak:en-us</c>), checked before the global ones.</summary>
    public Dictionary<string, string> VoiceAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ModelCapabilities Capabilities { get; set; } = new();

    public IEnumerable<string> Names => Aliases.Prepend(Id);
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
