using System.Text.Json;
using Voxgate.Http;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;

namespace Voxgate.OpenAi;

public enum SpeechStreamFormat
{
    /// <summary>The audio bytes themselves, with chunked transfer.</summary>
    Audio,

    /// <summary>Server-sent events carrying base64 audio, then usage.</summary>
    ServerSentEvents,
}

/// <summary>
/// Maps an OpenAI <c>POST /v1/audio/speech</c> body to the canonical <see cref="SpeechRequest"/>. Field names,
/// types and limits are OpenAI's; <c>format</c> is accepted as an alias of <c>response_format</c> (as the seed's
/// gateway does), and <c>sample_rate</c>, <c>channels</c>, <c>volume</c>, <c>bitrate</c> and <c>text_normalization</c> are Voxgate extensions.
/// </summary>
public static class OpenAiSpeechRequest
{
    /// <param name="normalizeByDefault">Whether local engines read numbers and the like out in words when the body does not
    /// say (<c>text_normalization</c>, a Voxgate extension under MiniMax's name; <see cref="TextOptions.OpenAiNormalization"/>).</param>
    public static (SpeechRequest Request, SpeechStreamFormat StreamFormat) Parse(JsonElement body, OpenAiOptions options, bool normalizeByDefault = false)
    {
        string model = Required(JsonFields.String(body, "model"), "model");
        string input = JsonFields.String(body, "input")
            ?? throw new SpeechRequestException(SpeechErrorKind.MissingParameter, "input", "You must provide 'input', the text to speak.");
        if (input.Length == 0)
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "input", "'input' must not be empty.");
        }
        int characters = TextMetrics.CountCharacters(input);
        if (characters > options.MaxInputCharacters)
        {
            throw new SpeechRequestException(SpeechErrorKind.InputTooLong, "input",
                $"'input' is {characters} characters long; the maximum is {options.MaxInputCharacters}.");
        }
        string voice = Required(ReadVoice(body), "voice");

        AudioFormat format = ReadFormat(body);
        string? instructions = JsonFields.String(body, "instructions");
        if (instructions is not null && TextMetrics.CountCharacters(instructions) > options.MaxInstructionsCharacters)
        {
            throw new SpeechRequestException(SpeechErrorKind.InputTooLong, "instructions",
                $"'instructions' is longer than {options.MaxInstructionsCharacters} characters.");
        }

        var request = new SpeechRequest
        {
            Model = model,
            Input = input,
            Voice = voice,
            Format = format,
            Speed = JsonFields.Number(body, "speed") ?? 1.0,
            Instructions = instructions,
            SampleRate = JsonFields.Integer(body, "sample_rate"),
            Channels = JsonFields.Integer(body, "channels") ?? 1,
            Volume = JsonFields.Number(body, "volume") ?? 1.0,
            MaxCharacters = options.MaxInputCharacters,
            Bitrate = JsonFields.Integer(body, "bitrate") ?? 0,
            Streamed = true, // raw audio and server-sent events both go out as they are made
        };
        request = JsonFields.Boolean(body, "text_normalization") is bool asked
            ? request with { ExpandForSpeech = asked }
            : request with { ExpandForSpeechByDefault = normalizeByDefault };
        if (VoiceBlend.TryParse(voice, "voice", out IReadOnlyList<VoiceWeight> mix))
        {
            // af_bella(2)+af_sky(1): a blend, spoken by an engine that mixes voices (Kokoro), refused by the others.
            request = request with { Voice = mix[0].Voice, VoiceMix = mix };
        }
        return (request, ReadStreamFormat(body));
    }

    /// <summary><c>voice</c> is a name, a blend (<c>af_bella(2)+af_sky(1)</c>), or OpenAI's custom-voice object <c>{"id": "..."}</c>.</summary>
    private static string? ReadVoice(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "voice", out JsonElement voice))
        {
            return null;
        }
        return voice.ValueKind switch
        {
            JsonValueKind.String => JsonFields.String(body, "voice"),
            JsonValueKind.Object => JsonFields.String(voice, "id", "voice.id"),
            _ => throw JsonFields.WrongType("voice", "a string or an object with an 'id'", voice),
        };
    }

    private static AudioFormat ReadFormat(JsonElement body)
    {
        string? responseFormat = JsonFields.String(body, "response_format");
        string? alias = JsonFields.String(body, "format");
        if (responseFormat is not null && alias is not null && !string.Equals(responseFormat, alias, StringComparison.OrdinalIgnoreCase))
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "format",
                $"'response_format' ('{responseFormat}') and its alias 'format' ('{alias}') disagree; send one of them.");
        }
        string? name = responseFormat ?? alias;
        if (name is null)
        {
            return AudioFormat.Mp3;
        }
        if (!AudioFormats.TryParse(name, out AudioFormat format))
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, responseFormat is null ? "format" : "response_format",
                $"Invalid value '{name}' for response_format. Supported values are: {string.Join(", ", AudioFormats.All.Select(AudioFormats.Name))}.");
        }
        return format;
    }

    private static SpeechStreamFormat ReadStreamFormat(JsonElement body) => JsonFields.String(body, "stream_format") switch
    {
        null or "audio" => SpeechStreamFormat.Audio,
        "sse" => SpeechStreamFormat.ServerSentEvents,
        string other => throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "stream_format",
            $"Invalid value '{other}' for stream_format. Supported values are: audio, sse."),
    };

    private static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value)
            ? throw new SpeechRequestException(SpeechErrorKind.MissingParameter, name, $"You must provide '{name}'.")
            : value;
}
