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
