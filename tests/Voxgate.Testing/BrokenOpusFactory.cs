using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>A server whose Opus encoder is misconfigured: libopus refuses the bitrate when the encoder starts.</summary>
public sealed class BrokenOpusFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Encoders:OpusBitrate", "-5")];
}
