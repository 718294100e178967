using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.Accounts;

/// <summary>
/// Authentication (configuration section <c>Voxgate:Auth</c>; <c>VOXGATE_AUTH</c> and <c>VOXGATE_ADMIN_KEY</c> map here).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Voxgate:Auth";

    /// <summary>"on" (the default) or "off": with "off", requests without a key are served free and unmetered.</summary>
    [RegularExpression("(?i)on|off", ErrorMessage = "must be on or off")]
    public string Mode { get; set; } = "on";

    /// <summary>A bootstrap key with the admin scope and no account; at least 16 characters.</summary>
    public string? AdminKey { get; set; }

    public bool Required => !string.Equals(Mode, "off", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Per-minute limits (configuration section <c>Voxgate:RateLimits</c>): the defaults accounts and keys inherit.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Voxgate:RateLimits";

    /// <summary>MiniMax's published T2A limit is 60 requests per minute.</summary>
    [Positive]
    public int DefaultRequestsPerMinute { get; set; } = 60;

    /// <summary>MiniMax's published T2A limit is 20,000 tokens per minute; Voxgate counts characters.</summary>
    [Positive]
    public int DefaultCharactersPerMinute { get; set; } = 20_000;

    /// <summary>
    /// Speech requests one account may have in flight at once, across its keys (429 beyond it), so one account cannot
    /// take every engine slot. MiniMax allows 3 concurrent streams on its published plans; 8 leaves room for a few
    /// clients per account. Asynchronous tasks are not counted: they queue.
    /// </summary>
    [Positive]
    public int DefaultConcurrentRequests { get; set; } = 8;
}
