using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

/// <summary>An in-process server whose clock moves only when a test moves it, so expiry can be checked exactly.</summary>
public sealed class ClockedVoxgateFactory : VoxgateFactory
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
