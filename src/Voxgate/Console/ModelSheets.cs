using System.Globalization;
using Microsoft.Extensions.Options;
using Voxgate.Gateway;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Upstreams;

namespace Voxgate.WebConsole;

/// <summary>What a model page shows, built from the catalog, the engines loaded now and the upstream configuration.</summary>
/// <param name="RouteKind"><c>local</c>, <c>upstream</c> or <c>byok</c>, as <c>GET /v1/models</c> says.</param>
public sealed record ModelSheet(
    ModelDefinition Model,
    string Name,
    string Provider,
    string Description,
    IReadOnlyList<string> UseCases,
    string RouteKind,
    string RouteText,
    string Engine,
    bool Available,
    IReadOnlyList<Capability> Capabilities,
    IReadOnlyList<VoiceInfo> Voices)
{
    public const string Modality = "audio-tts";

    public string Id => Model.Id;

    /// <summary>The price per 1,000 characters in dollars, three decimals as the seed shows it (<c>$0.100</c>), more when needed.</summary>
    public string Price => Dollars(Model.PricePer1KCharactersMicros);

    /// <summary>The console path of the page; the id's slash stays a path separator.</summary>
    public string Path => "/models/" + string.Join('/', Model.Id.Split('/').Select(Uri.EscapeDataString));

    public static string Dollars(long micros)
    {
        decimal dollars = micros / 1_000_000m;
        return "$" + dollars.ToString(decimal.Round(dollars, 3) == dollars ? "0.000" : "0.000###", CultureInfo.InvariantCulture);
    }
}

/// <summary>One capability of a model as served now: whether it is there, and in what way.</summary>
public sealed record Capability(string Name, bool Supported, string Note);

/// <summary>
/// Builds <see cref="ModelSheet"/>s. Capabilities are what the server does for the model's route today, not what the
/// catalog advertises: a local engine streams and speaks SSE; it mixes voices only if it is an
/// <see cref="IVoiceMixing"/> engine, and clones only while a cloning model is installed; a provider takes the
/// controls its client sends it (<see cref="UpstreamSpeechClient"/>) and no voice made here.
/// </summary>
public sealed class ModelSheets(ModelCatalog catalog, SpeechEngineRegistry engines, UpstreamRouter router, IOptions<UpstreamOptions> upstreams)
{
    private static readonly Dictionary<string, string> ProviderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["voxgate"] = "Voxgate",
        ["minimax"] = "MiniMax",
        ["openai"] = "OpenAI",
    };

    public IReadOnlyList<ModelSheet> All() => [.. catalog.Models.Select(Describe)];

    /// <summary>A model by id or alias; the id may arrive with its slash percent-encoded.</summary>
    public ModelSheet? Find(string idOrAlias) =>
        catalog.Find(Uri.UnescapeDataString(idOrAlias.Trim())) is { } model ? Describe(model) : null;

    public ModelSheet Describe(ModelDefinition model)
    {
        EnginePreference serving = model.Serving(engines.IsLoaded);
        ISpeechEngine? engine = engines.Engines.FirstOrDefault(e => e.Name.Equals(serving.Engine, StringComparison.OrdinalIgnoreCase));
        (bool configured, bool operatorKey) = router.Describe(model);
        string? kind = model.Upstream is { } name && upstreams.Value.TryGetValue(name, out UpstreamProviderOptions? provider) ? provider.Kind : null;
        (string routeKind, string routeText) = (model.Upstream, configured, operatorKey) switch
        {
            (null, _, _) => ("local", $"Local engine '{serving.Engine}' on this server."),
            (string upstream, false, _) => ("local", $"Local engine '{serving.Engine}': upstream '{upstream}' is not configured on this server."),
            (string upstream, true, true) => ("upstream", $"Upstream '{upstream}' (as {model.UpstreamModel ?? model.Id}), with the caller's own key when attached, else the server's."),
            (string upstream, true, false) => ("byok", $"Upstream '{upstream}' for accounts that attached their own key; local engine '{serving.Engine}' for the others."),
        };
        // Upstream-only when every caller goes to the provider; a BYOK route still serves most callers locally.
        bool upstreamOnly = routeKind == "upstream";
        return new ModelSheet(
            model,
            string.IsNullOrWhiteSpace(model.Name) ? model.Id : model.Name,
            ProviderNames.GetValueOrDefault(model.OwnedBy, model.OwnedBy),
            model.Description,
            model.UseCases,
            routeKind,
            routeText,
            serving.Engine,
            upstreamOnly || engine is not null,
            upstreamOnly ? UpstreamCapabilities(kind ?? UpstreamKind.OpenAi) : LocalCapabilities(model, engine),
            upstreamOnly || engine is null ? [] : engine.Voices);
    }

    private IReadOnlyList<Capability> LocalCapabilities(ModelDefinition model, ISpeechEngine? engine)
    {
        int cloning = engines.CloningVoices.Count;
        return
        [
            new("Streaming", true, "Audio is sent as each sentence is synthesised; the first sentence is cut short."),
            new("Server-sent events", true, "OpenAI stream_format: sse; MiniMax stream: true."),
            new("Word timestamps", true, model.Capabilities.WordTimestamps
                ? "The engine's own word timings (MiniMax subtitle_type: word)."
                : "Estimated: a sentence's time shared out by word length (MiniMax subtitle_type: word)."),
            engine is IVoiceMixing mixing
                ? new("Voice mixing", true, $"Up to {mixing.MaxVoicesInMix} of the engine's voices (MiniMax timber_weights).")
                : new("Voice mixing", false, $"The engine '{engine?.Name ?? model.Engine}' speaks one voice at a time."),
            new("Instructions", false, "Accepted; a local engine reads only an emotion named in them (\"cheerful\", \"whisper\", ...)."),
            cloning > 0
                ? new("Voice cloning", true, "Cloned voices speak through the installed cloning model.")
                : new("Voice cloning", false, "No cloning model is installed on this server."),
        ];
    }

    private static IReadOnlyList<Capability> UpstreamCapabilities(string kind) =>
    [
        new("Streaming", true, "The provider's audio is passed on as it arrives."),
        new("Server-sent events", true, "OpenAI stream_format: sse; MiniMax stream: true."),
        new("Word timestamps", false, "Not relayed from the provider."),
        UpstreamKind.Is(kind, UpstreamKind.MiniMax)
            ? new("Voice mixing", true, "timber_weights is passed to the provider.")
            : new("Voice mixing", false, "An OpenAI-compatible provider takes no timber_weights."),
        UpstreamKind.Is(kind, UpstreamKind.OpenAi)
            ? new("Instructions", true, "Passed to the provider as written.")
            : new("Instructions", false, "A MiniMax-compatible provider has no instructions field."),
        new("Voice cloning", false, "A voice cloned on this server is refused on a provider's route."),
    ];
}
