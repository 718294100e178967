namespace Voxgate.Speech.Audio;

/// <summary>
/// The shape of an interleaved float stream between audio stages: its sample rate and channel count. A stage states
/// the format it takes and the one it gives; <see cref="Any"/> in either part means "whatever comes in" (a gain
/// works at every rate), and in an output it means "the same as the input".
/// </summary>
public readonly record struct PcmFormat(int SampleRate, int Channels)
{
    /// <summary>A rate or channel count a stage does not constrain.</summary>
    public const int Any = 0;

    /// <summary>Any rate, any channel count: a stage that treats every sample alike.</summary>
    public static readonly PcmFormat Anything = new(Any, Any);

    public static PcmFormat Mono(int sampleRate) => new(sampleRate, 1);

    /// <summary>Whether a stream of this (concrete) format can feed a stage that takes <paramref name="accepted"/>.</summary>
    public bool Fits(PcmFormat accepted) =>
        (accepted.SampleRate == Any || accepted.SampleRate == SampleRate) && (accepted.Channels == Any || accepted.Channels == Channels);

    /// <summary>The concrete format a stage declaring <paramref name="declared"/> gives when fed this one.</summary>
    public PcmFormat Through(PcmFormat declared) => new(
        declared.SampleRate == Any ? SampleRate : declared.SampleRate,
        declared.Channels == Any ? Channels : declared.Channels);

    public override string ToString()
    {
        string rate = SampleRate == Any ? "any rate" : $"{SampleRate} Hz";
        string channels = Channels switch
        {
            Any => "any channels",
            1 => "mono",
            2 => "stereo",
            _ => $"{Channels} channels",
        };
        return $"{rate} {channels}";
    }
}
