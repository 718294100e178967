namespace Voxgate.Speech.Catalog;

/// <summary>The model catalog and voice names (configuration section <c>Voxgate:Catalog</c>, shipped in catalog.json).</summary>
public sealed class CatalogOptions
{
    public const string Section = "Voxgate:Catalog";

    public List<ModelDefinition> Models { get; set; } = [];

    /// <summary>Names callers may use for local voices: OpenAI's names by default (alloy → flite:slt, ...).</summary>
    public Dictionary<string, string> VoiceAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
