using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Speech.Upstreams;

/// <summary>The provider kinds Voxgate ships (<see cref="IUpstreamSpeechProvider.Kind"/>); configuration may name any registered one.</summary>
public static class UpstreamKind
{
    /// <summary>An OpenAI-compatible server: <c>POST {BaseUrl}/audio/speech</c> (BaseUrl ends in <c>/v1</c>), <see cref="OpenAiSpeechProvider"/>.</summary>
    public const string OpenAi = "OpenAi";

    /// <summary>A MiniMax-compatible server: <c>POST {BaseUrl}/v1/t2a_v2</c> with streaming, <see cref="MiniMaxSpeechProvider"/>.</summary>
    public const string MiniMax = "MiniMax";

    public static bool Is(string? kind, string name) => string.Equals(kind, name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Upstream speech providers by name (configuration section <c>Voxgate:Upstreams</c>), e.g.
/// <c>Voxgate:Upstreams:minimax:BaseUrl</c>. Catalog models name them in <c>Upstream</c>.
/// </summary>
public sealed class UpstreamOptions : Dictionary<string, UpstreamProviderOptions>
{
    public const string Section = "Voxgate:Upstreams";

    public UpstreamOptions() : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}

public sealed class UpstreamProviderOptions
{
    /// <summary>The provider kind by its registered name (<see cref="UpstreamKind"/>), ignoring case.</summary>
    public string Kind { get; set; } = UpstreamKind.OpenAi;

    /// <summary>Where the provider is; a provider without one is not configured and its models are served locally.</summary>
    [RegularExpression("(?i)https?://.+", ErrorMessage = "must be an absolute http or https address")]
    public string? BaseUrl { get; set; }

    /// <summary>
    /// The operator's key. Without it only accounts that attached their own key (BYOK) reach the provider; others
    /// are served locally.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Longest wait for the response to start, and then for each further piece of audio.</summary>
    [Positive]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Failures in a row (before any audio) that take the provider out of its models' routes (<see cref="RouteHealth"/>).</summary>
    public int FailuresBeforeCoolDown { get; set; } = 3;

    /// <summary>How long a provider taken out stays out before one request probes it again.</summary>
    public double CoolDownSeconds { get; set; } = 30;

    public bool IsConfigured => Uri.TryCreate(BaseUrl, UriKind.Absolute, out _);
}
