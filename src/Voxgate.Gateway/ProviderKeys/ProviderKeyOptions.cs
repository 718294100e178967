namespace Voxgate.Gateway.ProviderKeys;

/// <summary>
/// Encryption of customers' provider keys (configuration section <c>Voxgate:ProviderKeys</c>;
/// <c>VOXGATE_MASTER_KEY</c> maps to <see cref="MasterKey"/>).
/// </summary>
public sealed class ProviderKeyOptions
{
    public const string Section = "Voxgate:ProviderKeys";

    /// <summary>32 bytes in base64. Without it, <c>&lt;data&gt;/master.key</c> is used, created on first need.</summary>
    public string? MasterKey { get; set; }
}
