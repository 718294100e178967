namespace Voxgate.Speech.Catalog;

/// <summary>The model catalog and voice names (configuration section <c>Voxgate:Catalog</c>, shipped in catalog.json).</summary>
public sealed class CatalogOptions
{
    public const string Section = "Voxgate:Catalog";

    public List<ModelDefinition> Models { get; set; } = [];

    /// <summary>Names callers may use for local voices: OpenAI's names (alloy → flite:slt, ...) and MiniMax's system voice ids.</summary>
    public Dictionary<string, string> VoiceAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Voice-id prefixes for whole families of names (MiniMax's <c>Japanese_...</c> → <c>espeak:ja</c>); the longest match wins.</summary>
    public Dictionary<string, string> VoicePrefixes { get; set; } = new(StringComparer.Ordinal);
}
