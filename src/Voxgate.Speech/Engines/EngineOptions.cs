namespace Voxgate.Speech.Engines;

/// <summary>
/// Which embedded engines load (configuration section <c>Voxgate:Engines</c>). The lists have no defaults in code
/// because the configuration binder appends to existing lists; appsettings.json holds the defaults.
/// </summary>
public sealed class EngineOptions
{
    public const string Section = "Voxgate:Engines";

    /// <summary>Names of the engines to load; an engine not named here is never touched.</summary>
    public List<string> Enabled { get; set; } = [];

    /// <summary>Flite voices to register (each is <c>libflite_cmu_us_{name}.so.1</c>).</summary>
    public List<string> FliteVoices { get; set; } = [];
}
