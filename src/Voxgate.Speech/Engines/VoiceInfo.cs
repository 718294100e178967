namespace Voxgate.Speech.Engines;

public enum VoiceGender
{
    Unknown,
    Female,
    Male,
}

/// <summary>A voice an engine can speak with.</summary>
/// <param name="Id">Unique across engines: <c>engine:name</c>, e.g. <c>flite:slt</c> or <c>espeak:de</c>.</param>
/// <param name="Language">BCP-47-style tag, lower case (<c>en-us</c>, <c>de</c>).</param>
/// <param name="SampleRate">The rate of the engine's PCM for this voice.</param>
public sealed record VoiceInfo(string Id, string Engine, string Name, string Language, VoiceGender Gender, int SampleRate)
{
    public string? Description { get; init; }

    /// <summary>Other ids the engine answers to (eSpeak's <c>espeak:fr</c> for <c>espeak:fr-fr</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
