using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Voxgate.Tests.Support;

/// <summary>The real server (real engines, encoders, middleware) hosted in-process on a test server.</summary>
public class VoxgateFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("voxgate-test-").FullName;

    /// <summary>Extra configuration for a derived factory (key → value).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data", DataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        foreach ((string key, string? value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>Shares one in-process server among the API tests.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<VoxgateFactory>
{
    public const string Name = "api";
}
