using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Text;

namespace Voxgate.Speech.Synthesis;

/// <summary>A validated request with everything resolved: what to say, with which engine and voice, into what.</summary>
/// <param name="EngineSpeed">The part of the speed the engine renders natively.</param>
/// <param name="Tempo">The rest, applied by time-stretching (1 when the engine covers it all).</param>
public sealed record SpeechPlan(
    SpeechRequest Request,
    ModelDefinition Model,
    VoiceInfo Voice,
    ISpeechEngine Engine,
    PreparedText Text,
    EncoderSettings Output,
    double EngineSpeed,
    double Tempo)
{
    public float Gain => (float)Request.Volume;
}
