namespace Voxgate.Gateway.Storage;

/// <summary>Where the gateway keeps its state (configuration section <c>Voxgate:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Voxgate:Storage";

    /// <summary>The data directory (<c>--data</c>, <c>VOXGATE_DATA</c>); the database is <c>voxgate.db</c> inside it.</summary>
    public string DataDirectory { get; set; } = "./data";

    public string DatabasePath => Path.Combine(DataDirectory, "voxgate.db");
}
