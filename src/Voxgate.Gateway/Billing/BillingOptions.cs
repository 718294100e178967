using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.Billing;

/// <summary>Wallet rules (configuration section <c>Voxgate:Billing</c>).</summary>
public sealed class BillingOptions
{
    public const string Section = "Voxgate:Billing";

    /// <summary>The platform fee taken at top-up, in basis points: 500 is the seed gateway's 5%. Calls carry no fee.</summary>
    [Range(0, 10_000)]
    public int TopUpFeeBasisPoints { get; set; } = 500;

    /// <summary>How long a hold for a request in flight counts against the balance if its process dies before settling.</summary>
    [Positive]
    public TimeSpan HoldLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
