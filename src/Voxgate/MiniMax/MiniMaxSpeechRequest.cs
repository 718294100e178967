using System.Text.Json;
using Voxgate.Http;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.MiniMax;

/// <summary>How a synchronous <c>t2a_v2</c> answer is delivered (the parts that are not speech).</summary>
/// <param name="OutputUrl"><c>output_format: "url"</c>: the audio as a signed link instead of hex.</param>
/// <param name="Subtitles"><c>subtitle_enable</c>: a subtitle file, by sentence or by word.</param>
public sealed record MiniMaxDelivery(bool Stream, bool ExcludeAggregatedAudio, bool OutputUrl, SubtitleKind Subtitles);

public enum SubtitleKind
{
    None,
    Sentence,
    Word,
}

/// <summary>
/// Maps MiniMax T2A bodies (<c>t2a_v2</c> and <c>t2a_async_v2</c>) to the canonical <see cref="SpeechRequest"/>, with
/// MiniMax's names, ranges and defaults. The two endpoints differ only where MiniMax's do: the sample-rate field name,
/// the normalisation flag's name, and the text limits.
/// </summary>
public static class MiniMaxSpeechRequest
{
    public const int SyncMaxCharacters = 9_999;
    public const int AsyncMaxCharacters = 50_000;

    /// <summary>
    /// The most audio a non-streamed hex answer carries (its JSON is twice that): about 17 minutes of MP3 at 256 kb/s,
    /// 8 minutes of 32 kHz WAV. Larger answers are refused before synthesis, naming stream and output_format url.
    /// </summary>
    public const long MaxHexAudioBytes = 32_000_000;

    /// <summary>Entries of one pronunciation dictionary: plenty for names and terms, never a second text.</summary>
    public const int MaxPronunciationEntries = 500;
    public const int DefaultSampleRate = 32_000;
    public const int DefaultBitrate = 128_000;

    public static readonly int[] SampleRates = [8000, 16000, 22050, 24000, 32000, 44100];
    public static readonly int[] Bitrates = [32_000, 64_000, 128_000, 256_000];

    /// <summary>Canonical parameter names (as <see cref="SpeechPlanner"/> reports them) to this surface's field names.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldNames = new Dictionary<string, string>
    {
        ["input"] = "text", ["voice"] = "voice_setting.voice_id", ["speed"] = "voice_setting.speed", ["volume"] = "voice_setting.vol",
        ["pitch"] = "voice_setting.pitch", ["emotion"] = "voice_setting.emotion", ["response_format"] = "audio_setting.format",
        ["sample_rate"] = "audio_setting.sample_rate", ["channels"] = "audio_setting.channel", ["bitrate"] = "audio_setting.bitrate",
        ["language"] = "language_boost",
    };

    /// <summary>A synchronous <c>t2a_v2</c> body.</summary>
    public static (SpeechRequest Request, MiniMaxDelivery Delivery) ParseSync(JsonElement body)
    {
        string text = JsonFields.String(body, "text") ?? throw Missing("text");
        CheckLength(text, SyncMaxCharacters, "text", " (use t2a_async_v2 for longer texts)");
        bool stream = JsonFields.Boolean(body, "stream") ?? false;
        bool exclude = JsonFields.TryGet(body, "stream_options", out JsonElement options) && options.ValueKind == JsonValueKind.Object
            && (JsonFields.Boolean(options, "exclude_aggregated_audio", "stream_options.exclude_aggregated_audio") ?? false);
        bool url = JsonFields.String(body, "output_format") switch
        {
            null or "hex" => false,
            "url" => true,
            string other => throw Invalid("output_format", $"output_format is hex or url; got '{other}'."),
        };
        SubtitleKind subtitles = (JsonFields.Boolean(body, "subtitle_enable") ?? false)
            ? JsonFields.String(body, "subtitle_type") switch
            {
                null or "sentence" => SubtitleKind.Sentence,
                "word" or "word_streaming" => SubtitleKind.Word,
                string other => throw Invalid("subtitle_type", $"subtitle_type is sentence or word; got '{other}'."),
            }
            : SubtitleKind.None;
        SpeechRequest request = ParseCommon(body, text, "sample_rate", "text_normalization") with
        {
            MaxCharacters = SyncMaxCharacters,
            MaxAudioBytes = stream || url ? null : MaxHexAudioBytes,
            Streamed = stream,
        };
        if (stream && request.Format == AudioFormat.Wav)
        {
            throw Invalid("audio_setting.format", "wav is not available when streaming (as with MiniMax); use mp3, pcm, flac or opus.");
        }
        return (request, new MiniMaxDelivery(stream, exclude, url, subtitles));
    }

    /// <summary>
    /// A WebSocket <c>task_start</c>: the synchronous body's fields but the text, which arrives afterwards with
    /// <c>task_continue</c> (each piece checked with <see cref="CheckPiece"/>). wav is refused as when streaming.
    /// </summary>
    public static SpeechRequest ParseStreamStart(JsonElement body)
    {
        SpeechRequest request = ParseCommon(body, "", "sample_rate", "text_normalization") with { Streamed = true };
        if (request.Format == AudioFormat.Wav)
        {
            throw Invalid("audio_setting.format", "wav is not available when streaming (as with MiniMax); use mp3, pcm, flac or opus.");
        }
        return request;
    }

    /// <summary>A <c>task_continue</c>'s text: at most as long as a synchronous request's.</summary>
    public static void CheckPiece(string text) => CheckLength(text, SyncMaxCharacters, "text", " per task_continue; send longer text in several");

    /// <summary>An asynchronous <c>t2a_async_v2</c> body whose text is known (inline, or read from its file).</summary>
    /// <param name="maxCharacters">The limit of the text's source: inline text, or a file.</param>
    public static SpeechRequest ParseAsync(JsonElement body, string text, int maxCharacters) =>
        ParseCommon(body, text, "audio_sample_rate", "english_normalization") with { MaxCharacters = maxCharacters };

    /// <summary>The inline text of an asynchronous body, or its <c>text_file_id</c> (exactly one of them).</summary>
    public static (string? Text, long? FileId) AsyncSource(JsonElement body)
    {
        string? text = JsonFields.String(body, "text");
        long? fileId = null;
        if (JsonFields.TryGet(body, "text_file_id", out JsonElement id))
        {
            // MiniMax's text_file_id is an int64; a string is refused, as MiniMax does.
            fileId = id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long value) && value > 0
                ? value
                : throw Invalid("text_file_id", "text_file_id must be the integer file_id of an uploaded text file.");
        }
        if ((text is null) == (fileId is null))
        {
            throw Invalid("text", "Send exactly one of text and text_file_id.");
        }
        if (text is not null)
        {
            CheckLength(text, AsyncMaxCharacters, "text", " (upload longer texts as a file and send text_file_id)");
        }
        return (text, fileId);
    }

    private static SpeechRequest ParseCommon(JsonElement body, string text, string sampleRateField, string normalizationField)
    {
        string model = JsonFields.String(body, "model") is { Length: > 0 } m ? m : throw Missing("model");
        JsonElement voice = Object(body, "voice_setting");
        JsonElement audio = Object(body, "audio_setting");
        JsonElement modify = Object(body, "voice_modify");

        List<VoiceWeight> mix = ParseTimberWeights(body);
        string? voiceId = voice.ValueKind == JsonValueKind.Object ? JsonFields.String(voice, "voice_id", "voice_setting.voice_id") : null;
        if (string.IsNullOrEmpty(voiceId) && mix.Count == 0)
        {
            throw Missing("voice_setting.voice_id");
        }

        double speed = Number(voice, "speed", "voice_setting.speed") ?? 1;
        if (speed is < 0.5 or > 2)
        {
            throw Invalid("voice_setting.speed", $"speed must be between 0.5 and 2; got {speed}.");
        }
        int sampleRate = Integer(audio, sampleRateField, $"audio_setting.{sampleRateField}") ?? DefaultSampleRate;
        if (!SampleRates.Contains(sampleRate))
        {
            throw Invalid($"audio_setting.{sampleRateField}", $"must be one of {string.Join(", ", SampleRates)}; got {sampleRate}.");
        }
        int bitrate = Integer(audio, "bitrate", "audio_setting.bitrate") ?? DefaultBitrate;
        if (!Bitrates.Contains(bitrate))
        {
            throw Invalid("audio_setting.bitrate", $"must be one of {string.Join(", ", Bitrates)}; got {bitrate}.");
        }
        AudioFormat format = ParseFormat(audio.ValueKind == JsonValueKind.Object ? JsonFields.String(audio, "format", "audio_setting.format") : null);
        string? effect = modify.ValueKind == JsonValueKind.Object ? JsonFields.String(modify, "sound_effects", "voice_modify.sound_effects") : null;

        return new SpeechRequest
        {
            Model = model,
            Input = text,
            Voice = voiceId ?? mix[0].Voice,
            Format = format,
            SampleRate = sampleRate,
            Channels = Integer(audio, "channel", "audio_setting.channel") ?? 1,
            Bitrate = format == AudioFormat.Mp3 ? bitrate : 0,
            Speed = speed,
            Volume = Number(voice, "vol", "voice_setting.vol") ?? 1,
            PitchSemitones = Integer(voice, "pitch", "voice_setting.pitch") ?? 0,
            Emotion = voice.ValueKind == JsonValueKind.Object ? JsonFields.String(voice, "emotion", "voice_setting.emotion") : null,
            ExpandForSpeech = (voice.ValueKind == JsonValueKind.Object
                ? JsonFields.Boolean(voice, normalizationField, $"voice_setting.{normalizationField}") ?? JsonFields.Boolean(voice, "text_normalization", "voice_setting.text_normalization")
                : null) ?? false,
            Pronunciations = ParsePronunciations(body),
            Language = ParseLanguage(JsonFields.String(body, "language_boost")),
            Modification = new VoiceModification(
                Integer(modify, "pitch", "voice_modify.pitch") ?? 0,
                Integer(modify, "intensity", "voice_modify.intensity") ?? 0,
                Integer(modify, "timbre", "voice_modify.timbre") ?? 0,
                effect is null ? SoundEffect.None : MiniMaxVocabulary.TryGetSoundEffect(effect, out SoundEffect e) ? e
                    : throw Invalid("voice_modify.sound_effects", $"must be one of {string.Join(", ", MiniMaxVocabulary.SoundEffectNames)}; got '{effect}'.")),
            VoiceMix = mix,
            Watermark = JsonFields.Boolean(body, "aigc_watermark") ?? false,
        };
    }

    private static AudioFormat ParseFormat(string? name) => name switch
    {
        null or "mp3" => AudioFormat.Mp3,
        "pcm" => AudioFormat.Pcm,
        "flac" => AudioFormat.Flac,
        "wav" => AudioFormat.Wav,
        "opus" => AudioFormat.Opus,
        _ => throw Invalid("audio_setting.format", $"format is mp3, pcm, flac, wav or opus; got '{name}'."),
    };

    private static List<VoiceWeight> ParseTimberWeights(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "timber_weights", out JsonElement weights))
        {
            return [];
        }
        if (weights.ValueKind != JsonValueKind.Array || weights.GetArrayLength() is 0 or > 4)
        {
            throw Invalid("timber_weights", "timber_weights is a list of 1 to 4 {voice_id, weight} entries.");
        }
        var mix = new List<VoiceWeight>();
        foreach (JsonElement entry in weights.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("timber_weights", "each entry is {\"voice_id\": ..., \"weight\": 1-100}.");
            }
            string id = JsonFields.String(entry, "voice_id", "timber_weights.voice_id") ?? throw Missing("timber_weights.voice_id");
            int weight = JsonFields.Integer(entry, "weight", "timber_weights.weight") ?? throw Missing("timber_weights.weight");
            if (weight is < 1 or > 100)
            {
                throw Invalid("timber_weights.weight", $"weights are 1 to 100; got {weight}.");
            }
            mix.Add(new VoiceWeight(id, weight));
        }
        return mix;
    }

    private static IReadOnlyList<PronunciationRule> ParsePronunciations(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "pronunciation_dict", out JsonElement dictionary))
        {
            return [];
        }
        if (dictionary.ValueKind != JsonValueKind.Object || !JsonFields.TryGet(dictionary, "tone", out JsonElement tone) || tone.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("pronunciation_dict.tone", "pronunciation_dict is {\"tone\": [\"original/replacement\", ...]}.");
        }
        if (tone.GetArrayLength() > MaxPronunciationEntries)
        {
            throw Invalid("pronunciation_dict.tone", $"at most {MaxPronunciationEntries} entries; got {tone.GetArrayLength()}.");
        }
        return [.. tone.EnumerateArray().Select(entry => entry.ValueKind == JsonValueKind.String
            ? PronunciationRule.Parse(entry.GetString()!, "pronunciation_dict.tone")
            : throw Invalid("pronunciation_dict.tone", "each entry is a string \"original/replacement\"."))];
    }

    private static string? ParseLanguage(string? boost) => boost is null ? null
        : MiniMaxVocabulary.TryGetLanguage(boost, out string tag) ? tag
        : throw Invalid("language_boost", $"'{boost}' is not a MiniMax language_boost value (auto, Chinese, English, Japanese, ...).");

    private static void CheckLength(string text, int limit, string field, string advice)
    {
        int characters = TextMetrics.CountCharacters(text);
        if (characters > limit)
        {
            throw new SpeechRequestException(SpeechErrorKind.InputTooLong, field, $"{field} has {characters} characters; the limit is {limit}{advice}.");
        }
        if (characters == 0)
        {
            throw Invalid(field, $"{field} must not be empty.");
        }
    }

    private static JsonElement Object(JsonElement body, string name)
    {
        if (!JsonFields.TryGet(body, name, out JsonElement value))
        {
            return default;
        }
        return value.ValueKind == JsonValueKind.Object ? value : throw JsonFields.WrongType(name, "an object", value);
    }

    private static double? Number(JsonElement parent, string name, string path) =>
        parent.ValueKind == JsonValueKind.Object ? JsonFields.Number(parent, name, path) : null;

    private static int? Integer(JsonElement parent, string name, string path) =>
        parent.ValueKind == JsonValueKind.Object ? JsonFields.Integer(parent, name, path) : null;

    private static SpeechRequestException Missing(string field) => new(SpeechErrorKind.MissingParameter, field, $"{field} is required.");

    private static SpeechRequestException Invalid(string field, string message) => new(SpeechErrorKind.InvalidParameter, field, message);
}
