namespace Voxgate.Speech.Encoders;

/// <summary>The container/codec of the bytes a request returns.</summary>
public enum AudioFormat
{
    Mp3,
    Opus,
    Aac,
    Flac,
    Wav,
    Pcm,
}

/// <summary>Names, media types and limits of each <see cref="AudioFormat"/>, in one place for every surface.</summary>
public static class AudioFormats
{
    /// <summary>Output rates every encoder accepts (the MP3 and AAC sets, which Opus, FLAC, WAV and PCM also take).</summary>
    public static readonly IReadOnlyList<int> SampleRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

    public static readonly IReadOnlyList<AudioFormat> All = Enum.GetValues<AudioFormat>();

    public static string Name(AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => "mp3",
        AudioFormat.Opus => "opus",
        AudioFormat.Aac => "aac",
        AudioFormat.Flac => "flac",
        AudioFormat.Wav => "wav",
        AudioFormat.Pcm => "pcm",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string? name, out AudioFormat format)
    {
        foreach (AudioFormat candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }

    /// <summary>
    /// The Content-Type of a response in <paramref name="format"/>. Opus is an Ogg stream (RFC 7845), so
    /// <c>audio/ogg</c> with the codec named; raw PCM carries its rate and channels (as OpenRouter does),
    /// because the bytes themselves cannot say.
    /// </summary>
    public static string ContentType(AudioFormat format, int sampleRate, int channels) => format switch
    {
        AudioFormat.Mp3 => "audio/mpeg",
        AudioFormat.Opus => "audio/ogg; codecs=opus",
        AudioFormat.Aac => "audio/aac",
        AudioFormat.Flac => "audio/flac",
        AudioFormat.Wav => "audio/wav",
        AudioFormat.Pcm => $"audio/pcm;rate={sampleRate};channels={channels};encoding=s16le",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string FileExtension(AudioFormat format) => format switch
    {
        AudioFormat.Opus => "ogg",
        AudioFormat.Pcm => "pcm",
        _ => Name(format),
    };

    /// <summary>The format a file name's extension implies (".ogg" and ".opus" are Opus), or null.</summary>
    public static AudioFormat? FromFileExtension(string extension)
    {
        string name = extension.TrimStart('.').ToLowerInvariant();
        if (name is "ogg" or "opus")
        {
            return AudioFormat.Opus;
        }
        return TryParse(name, out AudioFormat format) ? format : null;
    }
}
