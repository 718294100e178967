namespace Voxgate.Speech.Engines;

/// <summary>
/// A speaker to imitate (a cloned voice): a short recording, already cleaned up (mono, trimmed, normalised when
/// asked), and what it says where the cloning model needs the words too (ZipVoice does, Pocket TTS does not).
/// </summary>
/// <param name="Id">Stable id of the stored voice, so an engine may cache what it derives from the samples.</param>
/// <param name="Samples">Mono float PCM in [-1, 1].</param>
public sealed record VoiceReference(string Id, ReadOnlyMemory<float> Samples, int SampleRate, string? Transcript);

/// <summary>
/// An engine whose voices speak like a reference recording given with each request (zero-shot cloning):
/// <see cref="EngineRequest.Reference"/> is required for its voices.
/// </summary>
public interface IVoiceCloning
{
    /// <summary>True when the model needs the reference recording's transcript (<see cref="VoiceReference.Transcript"/>).</summary>
    bool NeedsTranscript { get; }
}
