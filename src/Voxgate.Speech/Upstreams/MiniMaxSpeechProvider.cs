using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Upstreams;

/// <summary>
/// A MiniMax-compatible server: <c>POST {BaseUrl}/v1/t2a_v2</c> with <c>stream: true</c>, whose answer is server-sent
/// events with hex audio. Its request body and event reading are shared with the WebSocket relay (<see cref="UpstreamSpeechSocket"/>).
/// </summary>
public sealed class MiniMaxSpeechProvider(UpstreamSpeechClient http) : IUpstreamSpeechProvider
{
    public string Kind => UpstreamKind.MiniMax;

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> StreamAsync(SpeechPlan plan, UpstreamRoute route,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, object?> body = MiniMaxStreamBody(plan, route);
        body["text"] = plan.Request.Input;
        body["stream"] = true;
        body["stream_options"] = new Dictionary<string, object> { ["exclude_aggregated_audio"] = true };

        using HttpResponseMessage response = await http.SendAsync(route, new Uri(UpstreamSpeechClient.WithTrailingSlash(route.BaseUrl), "v1/t2a_v2"), body, cancellationToken);
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            // MiniMax refuses a request with one JSON answer (HTTP 200 and base_resp), not with events.
            MiniMaxEvent answer = ParseMiniMaxEvent(route, await reader.ReadToEndAsync(cancellationToken));
            throw new UpstreamException(UpstreamFailure.Failed, route.Provider,
                $"The provider '{route.Provider}' answered a streaming request without streaming{(answer.Audio is null ? " or audio" : "")}.");
        }
        while (true)
        {
            string? line = await UpstreamSpeechClient.ReadLineWithinAsync(route, reader, cancellationToken);
            if (line is null)
            {
                // Without its final event (status 2) the audio may be cut short: never pass that off as complete.
                throw new UpstreamException(UpstreamFailure.Failed, route.Provider, $"The provider '{route.Provider}' ended the stream before its final event.");
            }
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue; // blank separators, comments, event names
            }
            MiniMaxEvent next = ParseMiniMaxEvent(route, line["data:".Length..]);
            if (next.Final)
            {
                yield break; // its aggregated audio, if any, repeats the chunks already sent
            }
            if (next.Audio is { Length: > 0 })
            {
                yield return next.Audio;
            }
        }
    }

    /// <summary>
    /// A MiniMax body for a streamed answer, without its text: model, voice, audio settings and voice controls (also
    /// a WebSocket task_start's fields, <see cref="UpstreamSpeechSocket"/>).
    /// </summary>
    internal static Dictionary<string, object?> MiniMaxStreamBody(SpeechPlan plan, UpstreamRoute route)
    {
        SpeechRequest request = plan.Request;
        if (request.Format is not (AudioFormat.Mp3 or AudioFormat.Pcm or AudioFormat.Flac or AudioFormat.Opus))
        {
            throw new UpstreamException(UpstreamFailure.Rejected, route.Provider,
                $"The {AudioFormats.Name(request.Format)} format is not available from the MiniMax-compatible provider '{route.Provider}' when streaming; use mp3, pcm, flac or opus.");
        }
        var body = new Dictionary<string, object?>
        {
            ["model"] = route.Model,
            ["voice_setting"] = MiniMaxVoiceSetting(request),
            ["audio_setting"] = new Dictionary<string, object?>
            {
                ["sample_rate"] = plan.Output.SampleRate,
                ["format"] = AudioFormats.Name(request.Format),
                ["channel"] = plan.Output.Channels,
                ["bitrate"] = request.Bitrate == 0 ? null : request.Bitrate,
            },
        };
        AddMiniMaxVoiceControls(body, request);
        return body;
    }

    private static Dictionary<string, object> MiniMaxVoiceSetting(SpeechRequest request)
    {
        var voice = new Dictionary<string, object> { ["voice_id"] = request.Voice, ["speed"] = request.Speed, ["vol"] = request.Volume };
        if (request.PitchSemitones != 0)
        {
            voice["pitch"] = (int)Math.Round(request.PitchSemitones);
        }
        if (request.Emotion is { } emotion && Emotions.AsksForOne(emotion)) // neutral: none, as MiniMax's current list has no such value
        {
            voice["emotion"] = emotion;
        }
        if (request.ExpandForSpeech)
        {
            voice["text_normalization"] = true;
        }
        return voice;
    }

    /// <summary>
    /// The voice controls a MiniMax provider applies itself (the relayed audio is passed on as it comes, never run
    /// through the local chain), written back under MiniMax's names; each only when asked for.
    /// </summary>
    private static void AddMiniMaxVoiceControls(Dictionary<string, object?> body, SpeechRequest request)
    {
        if (request.VoiceMix.Count > 0)
        {
            body["timber_weights"] = request.VoiceMix.Select(v => new Dictionary<string, object> { ["voice_id"] = v.Voice, ["weight"] = (int)Math.Round(v.Weight) }).ToList();
        }
        if (request.Pronunciations.Count > 0)
        {
            body["pronunciation_dict"] = new Dictionary<string, object> { ["tone"] = request.Pronunciations.Select(MiniMaxVocabulary.ToneEntry).ToList() };
        }
        if (request.Language is { } language && MiniMaxVocabulary.LanguageName(language) is { } boost)
        {
            body["language_boost"] = boost;
        }
        VoiceModification modify = request.Modification;
        if (modify != VoiceModification.None)
        {
            var fields = new Dictionary<string, object> { ["pitch"] = modify.Pitch, ["intensity"] = modify.Intensity, ["timbre"] = modify.Timbre };
            if (MiniMaxVocabulary.SoundEffectName(modify.Effect) is { } effect)
            {
                fields["sound_effects"] = effect;
            }
            body["voice_modify"] = fields;
        }
        if (request.Watermark)
        {
            body["aigc_watermark"] = true;
        }
    }

    /// <summary>One MiniMax event: its hex audio decoded, and whether it is the last (<c>data.status</c> 2).</summary>
    internal readonly record struct MiniMaxEvent(byte[]? Audio, bool Final);

    /// <summary>Reads one MiniMax event or answer; the provider's error becomes an <see cref="UpstreamException"/>.</summary>
    internal static MiniMaxEvent ParseMiniMaxEvent(UpstreamRoute route, string json)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException ex)
        {
            throw new UpstreamException(UpstreamFailure.Failed, route.Provider, $"The provider '{route.Provider}' sent an unreadable event.", inner: ex);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamException(UpstreamFailure.Failed, route.Provider, $"The provider '{route.Provider}' sent an event that is not an object.");
        }
        if (root.TryGetProperty("base_resp", out JsonElement status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("status_code", out JsonElement code) && code.ValueKind == JsonValueKind.Number
            && code.TryGetInt32(out int statusCode) && statusCode != 0)
        {
            string message = status.TryGetProperty("status_msg", out JsonElement text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
            throw new UpstreamException(MiniMaxFailure(statusCode), route.Provider,
                $"The provider '{route.Provider}' answered {statusCode}: {ProviderText.Quote(message)}");
        }
        if (!root.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Object)
        {
            return new MiniMaxEvent(null, false);
        }
        bool final = data.TryGetProperty("status", out JsonElement state) && state.ValueKind == JsonValueKind.Number && state.TryGetInt32(out int value) && value == 2;
        if (data.TryGetProperty("audio", out JsonElement audio) && audio.ValueKind == JsonValueKind.String && audio.GetString() is { Length: > 0 } hex)
        {
            try
            {
                return new MiniMaxEvent(Convert.FromHexString(hex), final);
            }
            catch (FormatException ex)
            {
                throw new UpstreamException(UpstreamFailure.Failed, route.Provider, $"The provider '{route.Provider}' sent audio that is not hex.", inner: ex);
            }
        }
        return new MiniMaxEvent(null, final);
    }

    /// <summary>MiniMax's status codes (its error code table) as upstream failures.</summary>
    public static UpstreamFailure MiniMaxFailure(int statusCode) => statusCode switch
    {
        1002 or 1039 or 2045 => UpstreamFailure.RateLimited,
        1004 or 2049 => UpstreamFailure.Unauthorized,
        1001 or 1033 or 1041 => UpstreamFailure.Unavailable,
        1008 or 1026 or 1042 or 2013 or 20132 or 2042 => UpstreamFailure.Rejected,
        _ => UpstreamFailure.Failed,
    };
}
