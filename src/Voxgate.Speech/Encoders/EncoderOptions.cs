using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Speech.Encoders;

/// <summary>Encoder defaults (configuration section <c>Voxgate:Encoders</c>).</summary>
public sealed class EncoderOptions
{
    public const string Section = "Voxgate:Encoders";

    /// <summary>LAME quality 0 (best, slowest) .. 9; 5 is LAME's own default and ~400x real time here.</summary>
    [Range(0, 9)]
    public int Mp3Quality { get; set; } = 5;

    [Range(8_000, 320_000)]
    public int Mp3Bitrate { get; set; } = 128_000;

    [Range(6_000, 510_000)]
    public int OpusBitrate { get; set; } = 32_000;

    /// <summary>0..10; 5 is ~1.6x faster than 10 at about the same size for speech (measured on libopus 1.3 when this was chosen).</summary>
    [Range(0, 10)]
    public int OpusComplexity { get; set; } = 5;

    /// <summary>Longest time an Ogg page may wait before it is emitted; shorter means earlier bytes, more overhead.</summary>
    [NotNegative]
    public int OpusMaxPageDelayMs { get; set; } = 200;

    [Positive]
    public int AacBitrate { get; set; } = 64_000;

    /// <summary>
    /// AAC needs Debian's FFmpeg libraries, which Debian builds as GPL-2+. Operators who must not load GPL code
    /// turn it off; requests for aac then get a clear 400.
    /// </summary>
    public bool AacEnabled { get; set; } = true;

    [Range(0, 8)]
    public int FlacCompressionLevel { get; set; } = 5;
}
