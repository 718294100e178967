using Voxgate.Gateway.Accounts;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway.Voices;

/// <summary>A recording to send to a provider: its bytes and name (and, for a prompt, its words).</summary>
public sealed record RelayedRecording(byte[] Content, string Filename, string? Text = null);

/// <summary>
/// Voices made at an upstream MiniMax provider when the model routes there: the provider designs or clones the voice
/// under an id of its own (the caller's <c>voice_id</c> with the account's mark, so that two accounts choosing the same
/// id never meet at the provider, where the operator's key holds them all), and Voxgate records which account owns it.
/// Speech with the voice then passes through to the provider under that id (<see cref="VoiceService.ResolveAsync"/>),
/// and is refused to every other account. A preview is held and charged like a t2a request of its text, once.
/// </summary>
public sealed class UpstreamVoices(
    VoiceService voices,
    MiniMaxVoiceRelay relay,
    UpstreamRouter router,
    SpeechPlanner planner,
    ModelCatalog catalog,
    SpeechGateway gateway,
    TimeProvider time)
{
    /// <summary>The MiniMax provider <paramref name="model"/> routes to for this caller, or null when voices are made here.</summary>
    public async Task<UpstreamRoute?> RouteAsync(Caller caller, string model, CancellationToken cancellationToken) =>
        await router.RouteAsync(planner.FindModel(model), caller, cancellationToken) is { Kind: UpstreamKind.MiniMax } route ? route : null;

    public async Task<(CustomVoice Voice, byte[] Trial)> DesignAsync(Caller caller, long account, string? voiceId, string prompt, SpeechRequest preview,
        string requestId, CancellationToken cancellationToken)
    {
        if (voiceId is not null)
        {
            voices.CheckVoiceId(voiceId);
        }
        await using SpeechAdmission admission = await gateway.AdmitAsync(caller, preview with { Voice = "voice_design" }, requestId, cancellationToken);
        UpstreamRoute route = RouteOf(admission);
        (string upstreamId, byte[] trial) = await relay.DesignAsync(route, prompt, preview.Input, voiceId is null ? null : UpstreamId(account, voiceId), cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        var voice = new CustomVoice(account, voiceId ?? upstreamId, VoiceKind.Designed, prompt.Length > 200 ? prompt[..200] : prompt, now, now,
            Upstream: route.Provider, UpstreamVoiceId: upstreamId);
        await RecordAsync(voice, route);
        await admission.CompleteAsync(new SpeechOutcome(SpeechOutcomeStatus.Succeeded));
        return (voice, trial);
    }

    /// <param name="body">voice_clone's other fields, passed on (file ids, voice_id and model are set here).</param>
    /// <param name="preview">The preview to charge for, when the caller asked for one.</param>
    public async Task<(CustomVoice Voice, byte[]? Demo)> CloneAsync(Caller caller, long account, string voiceId, UpstreamRoute route, RelayedRecording recording,
        RelayedRecording? prompt, Dictionary<string, object?> body, SpeechRequest? preview, string requestId, CancellationToken cancellationToken)
    {
        voices.CheckVoiceId(voiceId);
        SpeechAdmission? admission = preview is null ? null : await gateway.AdmitAsync(caller, preview with { Voice = "voice_clone" }, requestId, cancellationToken);
        await using (admission)
        {
            if (admission is not null)
            {
                route = RouteOf(admission);
                body["model"] = route.Model;
            }
            body["file_id"] = await relay.UploadAsync(route, recording.Content, recording.Filename, "voice_clone", cancellationToken);
            if (prompt is not null)
            {
                body["clone_prompt"] = new Dictionary<string, object?>
                {
                    ["prompt_audio"] = await relay.UploadAsync(route, prompt.Content, prompt.Filename, "prompt_audio", cancellationToken),
                    ["prompt_text"] = prompt.Text,
                };
            }
            string upstreamId = UpstreamId(account, voiceId);
            body["voice_id"] = upstreamId;
            string link = await relay.CloneAsync(route, body, cancellationToken);
            byte[]? demo = link.Length > 0 ? await relay.DownloadAsync(route, link, 32 * 1024 * 1024, cancellationToken) : null;
            DateTimeOffset now = time.GetUtcNow();
            var voice = new CustomVoice(account, voiceId, VoiceKind.Cloned, voiceId, now, now, Transcript: prompt?.Text, Upstream: route.Provider, UpstreamVoiceId: upstreamId);
            await RecordAsync(voice, route);
            if (admission is not null)
            {
                await admission.CompleteAsync(new SpeechOutcome(SpeechOutcomeStatus.Succeeded));
            }
            return (voice, demo);
        }
    }

    /// <summary>Deletes the caller's voice, at its provider first when it is held there.</summary>
    public async Task<CustomVoice> DeleteAsync(Caller caller, long account, string id, VoiceKind kind, CancellationToken cancellationToken)
    {
        CustomVoice voice = await voices.GetAsync(account, id, cancellationToken);
        if (voice.Kind == kind && voice.Upstream is { } provider
            && catalog.Models.FirstOrDefault(m => string.Equals(m.Upstream, provider, StringComparison.OrdinalIgnoreCase)) is { } model
            && await router.RouteAsync(model, caller, cancellationToken) is { Kind: UpstreamKind.MiniMax } route)
        {
            try
            {
                await relay.DeleteAsync(route, kind == VoiceKind.Cloned ? "voice_cloning" : "voice_generation", voice.UpstreamVoiceId ?? voice.Id, cancellationToken);
            }
            catch (VoiceException ex) when (ex.Kind == VoiceErrorKind.NotFound)
            {
                // Already gone there (expired at the provider): delete the record.
            }
        }
        return await voices.DeleteAsync(account, id, kind, cancellationToken);
    }

    /// <summary>Records the voice; if the id is taken here after all, the provider's voice is deleted again.</summary>
    private async Task RecordAsync(CustomVoice voice, UpstreamRoute route)
    {
        try
        {
            await voices.AddAsync(voice, null, CancellationToken.None);
        }
        catch
        {
            try
            {
                await relay.DeleteAsync(route, voice.Kind == VoiceKind.Cloned ? "voice_cloning" : "voice_generation", voice.UpstreamVoiceId!, CancellationToken.None);
            }
            catch (Exception ex) when (ex is VoiceException or UpstreamException)
            {
                // The provider expires an unused voice by itself.
            }
            throw;
        }
    }

    private static UpstreamRoute RouteOf(SpeechAdmission admission) => admission.Plan.Route is UpstreamSynthesis { Upstream: { } route }
        ? route
        : throw new InvalidOperationException("The preview was not routed to the provider the voice is made at.");

    /// <summary>The id at the provider: the caller's, marked with the account (MiniMax's id rules still hold).</summary>
    private static string UpstreamId(long account, string voiceId) =>
        $"{(voiceId.Length > 230 ? voiceId[..230].TrimEnd('-', '_') : voiceId)}-vg{account:x}";
}
