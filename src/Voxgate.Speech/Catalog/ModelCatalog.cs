using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines;

namespace Voxgate.Speech.Catalog;

/// <summary>Looks models up by id or alias (case-insensitively) and checks the catalog is coherent at start-up.</summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelDefinition> _byName = new(StringComparer.OrdinalIgnoreCase);

    public ModelCatalog(IOptions<CatalogOptions> options)
    {
        CatalogOptions catalog = options.Value;
        var problems = new List<string>();
        ServeAlike(catalog.Models, problems);
        foreach (ModelDefinition model in catalog.Models)
        {
            if (string.IsNullOrWhiteSpace(model.Id))
            {
                problems.Add("a model has no id");
                continue;
            }
            if (string.IsNullOrWhiteSpace(model.Engine))
            {
                problems.Add($"model '{model.Id}' names no engine");
            }
            // A model given only routes names its first provider as its upstream, which is how it is described.
            model.Upstream ??= model.Routes.Select(r => r.Split(':', 2)[0]).FirstOrDefault(r => !r.Equals(ModelDefinition.LocalRoute, StringComparison.OrdinalIgnoreCase));
            if (model.PricePer1KCharactersMicros < 0)
            {
                problems.Add($"model '{model.Id}' has a negative price");
            }
            foreach (string name in model.Names)
            {
                if (!_byName.TryAdd(name, model))
                {
                    problems.Add($"'{name}' names both '{_byName[name].Id}' and '{model.Id}'");
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(CatalogOptions.Section, typeof(CatalogOptions), problems);
        }
        Models = catalog.Models;
        VoiceAliases = catalog.VoiceAliases;
        _prefixes = [.. catalog.VoicePrefixes.OrderByDescending(p => p.Key.Length)];
    }

    private readonly KeyValuePair<string, string>[] _prefixes;

    /// <summary>Gives each model with <see cref="ModelDefinition.Like"/> and no engine of its own its sibling's serving.</summary>
    private static void ServeAlike(List<ModelDefinition> models, List<string> problems)
    {
        foreach (ModelDefinition model in models.Where(m => m.Like is not null))
        {
            ModelDefinition? sibling = models.FirstOrDefault(m => m.Id.Equals(model.Like, StringComparison.OrdinalIgnoreCase));
            if (sibling is null || sibling.Like is not null)
            {
                problems.Add($"model '{model.Id}' is served like '{model.Like}', which is not a catalog model with its own engine");
                continue;
            }
            if (!string.IsNullOrWhiteSpace(model.Engine))
            {
                continue; // it says how it is served itself
            }
            model.Engine = sibling.Engine;
            model.DefaultVoice ??= sibling.DefaultVoice;
            if (model.VoiceAliases.Count == 0)
            {
                model.VoiceAliases = new Dictionary<string, string>(sibling.VoiceAliases, StringComparer.OrdinalIgnoreCase);
            }
            if (model.Prefer.Count == 0)
            {
                model.Prefer = [.. sibling.Prefer];
            }
        }
    }

    public IReadOnlyList<ModelDefinition> Models { get; }

    public IReadOnlyDictionary<string, string> VoiceAliases { get; }

    public ModelDefinition? Find(string idOrAlias) => _byName.GetValueOrDefault(idOrAlias);

    /// <summary>The voice a family prefix maps <paramref name="name"/> to, or null.</summary>
    public string? VoiceForPrefix(string name) =>
        _prefixes.FirstOrDefault(p => name.StartsWith(p.Key, StringComparison.Ordinal) && name.Length > p.Key.Length).Value;

    /// <summary>Every other name a voice answers to: its engine's aliases, then the catalog's names for it.</summary>
    public IReadOnlyList<string> OtherNamesOf(VoiceInfo voice) =>
    [
        .. voice.Aliases,
        .. VoiceAliases.Where(a => a.Value.Equals(voice.Id, StringComparison.OrdinalIgnoreCase)).Select(a => a.Key).Order(StringComparer.Ordinal),
    ];
}
