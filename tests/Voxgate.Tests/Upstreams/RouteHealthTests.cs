using Microsoft.Extensions.Options;
using Voxgate.Speech.Upstreams;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Upstreams;

/// <summary>The per-provider cool-down state machine, on a clock that moves only when the test moves it.</summary>
public sealed class RouteHealthTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private RouteHealth Health(int failures = 3, double coolDownSeconds = 30) => new(Options.Create(new UpstreamOptions
    {
        ["a"] = new UpstreamProviderOptions { BaseUrl = "http://127.0.0.1:1/v1", FailuresBeforeCoolDown = failures, CoolDownSeconds = coolDownSeconds },
    }), _clock);

    [Fact]
    public void AProviderStaysInServiceUntilItFailsEnoughTimesInARow()
    {
        RouteHealth health = Health(failures: 3);
        health.Failed("a");
        health.Failed("a");
        Assert.Equal(RouteUse.Healthy, health.TryUse("a"));
        health.Succeeded("a"); // a success in between starts the count again
        health.Failed("a");
        health.Failed("a");
        Assert.Equal(RouteUse.Healthy, health.TryUse("a"));
        health.Failed("a");
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("a"));
        Assert.True(health.IsOut("a"));
    }

    [Fact]
    public void AfterTheCoolDownOneProbeIsLetThroughAndItsSuccessRestoresTheProvider()
    {
        RouteHealth health = Health(failures: 1, coolDownSeconds: 30);
        health.Failed("a");
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("a"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RouteUse.Probe, health.TryUse("a"));
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("a")); // one probe at a time
        health.Succeeded("a");
        Assert.Equal(RouteUse.Healthy, health.TryUse("a"));
        Assert.False(health.IsOut("a"));
    }

    [Fact]
    public void AFailedProbeStartsAnotherCoolDown()
    {
        RouteHealth health = Health(failures: 2, coolDownSeconds: 10);
        health.Failed("a");
        health.Failed("a");
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(RouteUse.Probe, health.TryUse("a"));
        health.Failed("a"); // one failure is enough while out
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("a"));
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("a"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RouteUse.Probe, health.TryUse("a"));
    }

    [Fact]
    public void AProbeThatNeverReportsLetsAnotherThroughAfterAFurtherCoolDown()
    {
        RouteHealth health = Health(failures: 1, coolDownSeconds: 10);
        health.Failed("a");
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(RouteUse.Probe, health.TryUse("a")); // its request is refused before it reaches the provider
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("a"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RouteUse.Probe, health.TryUse("a"));
    }

    [Fact]
    public void ProvidersAreJudgedApartAndUnconfiguredOnesTakeTheDefaults()
    {
        RouteHealth health = Health(failures: 1);
        health.Failed("a");
        health.Failed("other");
        health.Failed("other");
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("A")); // names ignore case, as configuration does
        Assert.Equal(RouteUse.Healthy, health.TryUse("other")); // three by default
        health.Failed("other");
        Assert.Equal(RouteUse.CoolingDown, health.TryUse("other"));
    }
}
