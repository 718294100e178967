namespace Voxgate.Gateway;

/// <summary>
/// Which node of a deployment this process is (<c>VOXGATE_NODE</c>, configuration <c>Voxgate:Node</c>; default the host
/// name): it owns the holds it takes and the task leases it claims, and it appears in logs and <c>/readyz</c>. Stable
/// across restarts, so that a node started again releases what it held before it died.
/// </summary>
public sealed record NodeIdentity(string Name)
{
    public const string Setting = "Voxgate:Node";

    public static NodeIdentity From(string? configured) =>
        new(string.IsNullOrWhiteSpace(configured) ? Environment.MachineName : configured.Trim());
}
