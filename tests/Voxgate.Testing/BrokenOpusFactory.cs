using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Encoders;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>A server whose Opus encoder is misconfigured: libopus refuses the bitrate when the encoder starts.</summary>
public sealed class BrokenOpusFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Voxgate:Encoders:OpusBitrate", "-5")];

    /// <summary>Start-up validation refuses this bitrate, as it should; the test needs a server that started with it anyway.</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.RemoveAll<IValidateOptions<EncoderOptions>>());
    }
}
