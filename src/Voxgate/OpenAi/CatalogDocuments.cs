using System.Globalization;
using Voxgate.Gateway;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;

namespace Voxgate.OpenAi;

/// <summary>The catalog as OpenAI-style list documents: <c>/v1/models</c> and <c>/v1/voices</c> (the server's own voices).</summary>
public static class CatalogDocuments
{
    public static IResult ListModels(ModelCatalog catalog, SpeechEngineRegistry engines, UpstreamRouter router) =>
        Results.Json(new ListDocument<ModelDocument>([.. catalog.Models.Select(m => Describe(m, engines, router))]), OpenAiJson.Options);

    /// <param name="id">An id or alias. SDKs send an id's slash percent-encoded (<c>minimax%2Fminimax-speech-02-hd</c>), and
    /// the server decodes every escape in a path except <c>%2F</c>, so the route value still holds it: it is decoded here.</param>
    public static IResult GetModel(string id, ModelCatalog catalog, SpeechEngineRegistry engines, UpstreamRouter router)
    {
        string name = Uri.UnescapeDataString(id);
        return catalog.Find(name) is { } model
            ? Results.Json(Describe(model, engines, router), OpenAiJson.Options)
            : new OpenAiError(404, OpenAiError.InvalidRequest,
                $"The model '{name}' does not exist. GET /v1/models lists the models this server offers.", "model", "model_not_found").ToResult();
    }

    /// <param name="language">Keeps voices whose language is this tag or a sub-tag of it ("en" keeps "en-us").</param>
    public static IResult ListVoices(string? language, string? engine, SpeechEngineRegistry engines, ModelCatalog catalog)
    {
        IEnumerable<VoiceInfo> voices = engines.Voices;
        if (!string.IsNullOrWhiteSpace(language))
        {
            string tag = language.Trim().Replace('_', '-');
            voices = voices.Where(v => v.Language.Equals(tag, StringComparison.OrdinalIgnoreCase)
                || v.Language.StartsWith(tag + "-", StringComparison.OrdinalIgnoreCase));
        }
        if (!string.IsNullOrWhiteSpace(engine))
        {
            voices = voices.Where(v => v.Engine.Equals(engine.Trim(), StringComparison.OrdinalIgnoreCase));
        }
        return Results.Json(new ListDocument<VoiceDocument>([.. voices.Select(v => new VoiceDocument(
            v.Id, "voice", v.Name, v.Engine, v.Language, v.Gender.ToString().ToLowerInvariant(), v.SampleRate, v.Description,
            catalog.OtherNamesOf(v)))]), OpenAiJson.Options);
    }

    private static ModelDocument Describe(ModelDefinition model, SpeechEngineRegistry engines, UpstreamRouter router)
    {
        string engine = model.Serving(engines.IsLoaded).Engine; // a preferred neural engine while it is loaded
        bool available = engines.IsLoaded(engine);
        RouteDocument route = (model.Upstream, router.Describe(model)) switch
        {
            (null, _) => new RouteDocument("local", engine, null, null),
            (string upstream, (false, _)) => new RouteDocument("local", engine, upstream,
                $"Upstream '{upstream}' is not configured; the local engine '{engine}' serves this model."),
            (string upstream, (true, true)) => new RouteDocument("upstream", engine, upstream,
                $"Served by '{upstream}', with the caller's own key when one is attached (then not charged), else the server's."),
            (string upstream, (true, false)) => new RouteDocument("byok", engine, upstream,
                $"Served by '{upstream}' for accounts that attached their own key; for others, by the local engine '{engine}'."),
        };
        // The catalog describes the model; how it is served now (which depends on the configuration) is the route's to say.
        string description = route.Note is null ? model.Description : $"{model.Description} {route.Note}".Trim();
        return new ModelDocument(model.Id, "model", 0, model.OwnedBy, model.Aliases, description, route,
            new PricingDocument("1k_characters", model.PricePer1KCharactersMicros,
                (model.PricePer1KCharactersMicros / 1_000_000m).ToString("0.000000", CultureInfo.InvariantCulture)),
            model.Capabilities, available);
    }

    public sealed record ListDocument<T>(IReadOnlyList<T> Data)
    {
        public string Object => "list";
    }

    public sealed record ModelDocument(
        string Id, string Object, long Created, string OwnedBy, IReadOnlyList<string> Aliases, string Description,
        RouteDocument Route, PricingDocument Pricing, ModelCapabilities Capabilities, bool Available);

    /// <param name="Kind"><c>local</c>; <c>upstream</c> (the provider, with the server's or the caller's key); or
    /// <c>byok</c> (the provider for callers with their own key, else local).</param>
    public sealed record RouteDocument(string Kind, string Engine, string? Upstream, string? Note);

    /// <param name="PriceMicros">Integer micro-dollars per unit; <c>PriceUsd</c> is the same value as a decimal string.</param>
    public sealed record PricingDocument(string Unit, long PriceMicros, string PriceUsd);

    public sealed record VoiceDocument(
        string Id, string Object, string Name, string Engine, string Language, string Gender, int SampleRate,
        string? Description, IReadOnlyList<string> Aliases);
}
