using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Encoders;

/// <summary>Creates the encoder for a format, filling in the configured defaults.</summary>
public sealed class AudioEncoderFactory(IOptions<EncoderOptions> options)
{
    private readonly EncoderOptions _options = options.Value;

    /// <summary>The bitrate a request gets when it names none.</summary>
    public int DefaultBitrate(AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => _options.Mp3Bitrate,
        AudioFormat.Opus => _options.OpusBitrate,
        AudioFormat.Aac => _options.AacBitrate,
        _ => 0,
    };

    /// <summary>
    /// About how many bytes a second of this output takes: exact for PCM and WAV, the bitrate for the lossy codecs,
    /// and 60% of PCM for FLAC (speech compresses to about half). For estimates before synthesis and for minimum
    /// client reading rates, never for anything that must be exact.
    /// </summary>
    public long BytesPerSecond(EncoderSettings settings)
    {
        long pcm = 2L * settings.SampleRate * settings.Channels;
        return settings.Format switch
        {
            AudioFormat.Mp3 or AudioFormat.Opus or AudioFormat.Aac => (settings.Bitrate > 0 ? settings.Bitrate : DefaultBitrate(settings.Format)) / 8,
            AudioFormat.Flac => pcm * 6 / 10,
            _ => pcm,
        };
    }

    /// <summary>False for a format the operator switched off.</summary>
    public bool IsEnabled(AudioFormat format) => format != AudioFormat.Aac || _options.AacEnabled;

    public IAudioEncoder Create(EncoderSettings settings)
    {
        if (!IsEnabled(settings.Format))
        {
            throw new NotSupportedException($"The {AudioFormats.Name(settings.Format)} encoder is disabled on this server.");
        }
        if (settings.Bitrate == 0)
        {
            settings = settings with { Bitrate = DefaultBitrate(settings.Format) };
        }
        return settings.Format switch
        {
            AudioFormat.Mp3 => new Mp3Encoder(settings, _options.Mp3Quality),
            AudioFormat.Opus => new OggOpusEncoder(settings, _options.OpusComplexity, _options.OpusMaxPageDelayMs),
            AudioFormat.Aac => new AacAdtsEncoder(settings),
            AudioFormat.Flac => new FlacEncoder(settings, _options.FlacCompressionLevel),
            AudioFormat.Wav => new WavEncoder(settings),
            AudioFormat.Pcm => new PcmEncoder(settings),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };
    }
}
