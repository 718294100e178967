using Voxgate.Gateway.Accounts;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Voices;

/// <summary>A preview's audio and what was billed for it.</summary>
public sealed record PreviewAudio(byte[] Audio, SpeechPlan Plan);

/// <summary>
/// Speaks a voice's preview (MiniMax's voice_clone <c>demo_audio</c>, voice_design <c>trial_audio</c>) through the
/// gateway like any synthesis: admitted, held, charged once under the request's id and recorded in usage; a failure
/// charges nothing. The text is short (at most 1,000 characters), so its audio is kept in memory.
/// </summary>
public sealed class VoicePreview(SpeechGateway gateway, SpeechPipeline pipeline)
{
    /// <exception cref="SpeechRequestException">The request is invalid.</exception>
    /// <exception cref="GatewayException">Over a limit, or the wallet cannot pay.</exception>
    public async Task<PreviewAudio> SpeakAsync(Caller caller, SpeechRequest request, string requestId, CancellationToken cancellationToken)
    {
        await using SpeechAdmission admission = await gateway.AdmitAsync(caller, request, requestId, cancellationToken);
        using var audio = new MemoryStream();
        await SpeechStreamWriter.WriteAsync(pipeline.RunAsync(admission.Plan, admission, 1, cancellationToken), audio, null, cancellationToken);
        await admission.CompleteAsync(new SpeechOutcome(SpeechOutcomeStatus.Succeeded));
        return new PreviewAudio(audio.ToArray(), admission.Plan);
    }
}
