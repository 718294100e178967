namespace Voxgate.Speech.Encoders;

/// <summary>
/// A streaming encoder: interleaved float samples in [-1, 1] go in, bytes come out into an
/// <see cref="EncodedOutput"/> as soon as the codec has them. One instance per stream, used by one thread at a time.
/// </summary>
public interface IAudioEncoder : IDisposable
{
    EncoderSettings Settings { get; }

    /// <summary>The bitrate in bits per second the codec actually uses (0 where it varies).</summary>
    int EffectiveBitrate { get; }

    void Encode(ReadOnlySpan<float> interleaved, EncodedOutput output);

    /// <summary>Flushes the codec and writes the end of the stream; header patches are recorded on the output.</summary>
    void Finish(EncodedOutput output);
}
