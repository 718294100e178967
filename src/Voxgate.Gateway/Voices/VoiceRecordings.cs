using Voxgate.Speech.Audio;

namespace Voxgate.Gateway.Voices;

/// <summary>What a recording must be for each use, checked by decoding it (never by its name).</summary>
/// <param name="Containers">The containers accepted (as <see cref="AudioFileDecoder"/> names them).</param>
/// <param name="DurationKind">How a length out of range is reported.</param>
public sealed record RecordingRule(string Purpose, IReadOnlySet<string> Containers, TimeSpan Min, TimeSpan Max, VoiceErrorKind DurationKind)
{
    /// <summary>MiniMax's clone source: mp3, m4a or wav, 10 s to 5 minutes.</summary>
    public static RecordingRule VoiceClone { get; } = new("voice_clone", AudioFileDecoder.CloneContainers, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), VoiceErrorKind.Duration);

    /// <summary>MiniMax's clone prompt: under 8 s.</summary>
    public static RecordingRule PromptAudio { get; } = new("prompt_audio", AudioFileDecoder.CloneContainers, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(8), VoiceErrorKind.PromptTooLong);

    /// <summary>OpenAI's audio sample (30 s or less) and consent recording.</summary>
    public static RecordingRule OpenAiSample { get; } = new("audio_sample", AudioFileDecoder.OpenAiContainers, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), VoiceErrorKind.Duration);

    public static RecordingRule OpenAiConsent { get; } = new("recording", AudioFileDecoder.OpenAiContainers, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), VoiceErrorKind.Duration);
}

public static class VoiceRecordings
{
    /// <summary>Decodes <paramref name="content"/> and checks it against <paramref name="rule"/>.</summary>
    /// <exception cref="VoiceException">Not a recording of an accepted kind, or too short or long (the kind the rule says).</exception>
    /// <param name="keepSamples">False to check only (an upload): the samples are not kept.</param>
    public static DecodedAudio Check(ReadOnlySpan<byte> content, RecordingRule rule, string parameter, long maxBytes, bool keepSamples = true)
    {
        if (content.Length > maxBytes)
        {
            throw new VoiceException(VoiceErrorKind.Invalid, parameter, $"The recording is {content.Length:N0} bytes; at most {maxBytes:N0} are accepted.");
        }
        DecodedAudio audio;
        try
        {
            audio = AudioFileDecoder.Decode(content, rule.Containers, rule.Max, keepSamples);
        }
        catch (AudioDecodeException ex)
        {
            throw new VoiceException(VoiceErrorKind.Invalid, parameter, ex.Message);
        }
        if (audio.Truncated || audio.Duration > rule.Max)
        {
            throw new VoiceException(rule.DurationKind, parameter,
                $"A {rule.Purpose} recording may last at most {Describe(rule.Max)}; this one is longer.");
        }
        if (audio.Duration < rule.Min)
        {
            throw new VoiceException(rule.DurationKind, parameter,
                $"A {rule.Purpose} recording must last at least {Describe(rule.Min)}; this one lasts {audio.Duration.TotalSeconds:0.0} s.");
        }
        return audio;
    }

    private static string Describe(TimeSpan length) => length >= TimeSpan.FromMinutes(1) && length.Seconds == 0
        ? $"{length.TotalMinutes:0} minute{(length.TotalMinutes == 1 ? "" : "s")}"
        : $"{length.TotalSeconds:0.#} s";
}
