using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Gateway;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Saturation;
using Voxgate.Hosting;
using Voxgate.Speech;
using Voxgate.Speech.Settings;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Tests.Hosting;

/// <summary>The one validator every options class goes through, and the start-up check that gathers what it finds.</summary>
public class SettingsValidationTests
{
    [Fact]
    public void EveryProblemOfAClassIsReportedWithItsSettingPath()
    {
        var billing = new BillingOptions { TopUpFeeBasisPoints = 10_001, HoldLifetime = TimeSpan.Zero };

        Assert.Equal(
            ["Voxgate:Billing:TopUpFeeBasisPoints must be between 0 and 10000", "Voxgate:Billing:HoldLifetime must be greater than zero"],
            SettingsValidation.Problems(billing, BillingOptions.Section));
    }

    [Fact]
    public void DefaultsAndBoundaryValuesPass()
    {
        Assert.Empty(SettingsValidation.Problems(new BillingOptions(), BillingOptions.Section));
        Assert.Empty(SettingsValidation.Problems(new BillingOptions { TopUpFeeBasisPoints = 10_000 }, BillingOptions.Section));
        Assert.Empty(SettingsValidation.Problems(new BillingOptions { TopUpFeeBasisPoints = 0 }, BillingOptions.Section));
    }

    [Fact]
    public void KeyedEntriesAreCheckedUnderTheirKey()
    {
        var saturation = new SaturationOptions { Engines = { ["flite"] = new CapacityOptions { MaxQueued = -1 } } };
        var upstreams = new UpstreamOptions { ["openai"] = new UpstreamProviderOptions { BaseUrl = "ftp://example.invalid", TimeoutSeconds = 0 } };

        Assert.Equal(["Voxgate:Saturation:Engines:flite:MaxQueued must not be negative"],
            SettingsValidation.Problems(saturation, SaturationOptions.Section));
        Assert.Equal(
            ["Voxgate:Upstreams:openai:BaseUrl must be an absolute http or https address", "Voxgate:Upstreams:openai:TimeoutSeconds must be greater than zero"],
            SettingsValidation.Problems(upstreams, UpstreamOptions.Section));
    }

    [Fact]
    public void TheStartUpCheckGathersTheProblemsOfEveryClassAndRepeatsNoValue()
    {
        using ServiceProvider services = Services(new()
        {
            ["Voxgate:Billing:TopUpFeeBasisPoints"] = "-1",
            ["Voxgate:Encoders:Mp3Quality"] = "12",
            ["Voxgate:Auth:Mode"] = "sometimes-secret",
        });

        InvalidSettingsException invalid = Assert.Throws<InvalidSettingsException>(() => InvalidSettingsException.ThrowIfAny(services));

        Assert.Equal(
            ["Voxgate:Auth:Mode must be on or off", "Voxgate:Billing:TopUpFeeBasisPoints must be between 0 and 10000", "Voxgate:Encoders:Mp3Quality must be between 0 and 9"],
            invalid.Problems.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("sometimes-secret", invalid.Message);
    }

    [Fact]
    public void AValueTheBinderCannotReadIsOneProblemAmongTheOthers()
    {
        using ServiceProvider services = Services(new()
        {
            ["Voxgate:Tasks:Lease"] = "soon",
            ["Voxgate:Redis:WhenUnreachable"] = "ajar",
            ["Voxgate:Billing:HoldLifetime"] = "-00:01:00",
        });

        InvalidSettingsException invalid = Assert.Throws<InvalidSettingsException>(() => InvalidSettingsException.ThrowIfAny(services));

        Assert.Equal(
            ["Voxgate:Billing:HoldLifetime must be greater than zero", "Voxgate:Redis:WhenUnreachable must be one of Open, Closed",
                "Voxgate:Tasks:Lease must be a duration such as 00:00:30"],
            invalid.Problems.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("soon", invalid.Message);
    }

    [Fact]
    public void ValidSettingsPassTheStartUpCheck()
    {
        using ServiceProvider services = Services(new() { ["Voxgate:Billing:TopUpFeeBasisPoints"] = "250" });

        InvalidSettingsException.ThrowIfAny(services);
    }

    /// <summary>The speech and gateway registrations (which register every options class) over these settings alone.</summary>
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVoxgateSpeech(configuration);
        services.AddVoxgateGateway(configuration);
        return services.BuildServiceProvider();
    }
}
