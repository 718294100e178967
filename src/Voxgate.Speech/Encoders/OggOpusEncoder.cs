using Voxgate.Speech.Native;

namespace Voxgate.Speech.Encoders;

/// <summary>Ogg Opus through libopusenc; the encoder resamples to Opus's 48 kHz and records the input rate in OpusHead.</summary>
public sealed class OggOpusEncoder : IAudioEncoder
{
    private readonly OpusEnc.EncoderHandle _encoder;
    private readonly OpusEnc.CommentsHandle _comments;

    public OggOpusEncoder(EncoderSettings settings, int complexity, int maxPageDelayMs)
    {
        Settings = settings;
        EffectiveBitrate = settings.Bitrate;
        (_encoder, _comments) = OpusEnc.Create(settings.SampleRate, settings.Channels, settings.Bitrate, complexity,
            muxingDelaySamples48k: maxPageDelayMs * 48, settings.Tags ?? new Dictionary<string, string>());
    }

    public EncoderSettings Settings { get; }

    public int EffectiveBitrate { get; }

    public void Encode(ReadOnlySpan<float> interleaved, EncodedOutput output)
    {
        OpusEnc.Write(_encoder, interleaved, Settings.Channels);
        OpusEnc.TakePages(_encoder, output, flush: false);
    }

    public void Finish(EncodedOutput output) => OpusEnc.Drain(_encoder, output);

    public void Dispose()
    {
        _encoder.Dispose();
        _comments.Dispose();
    }
}
