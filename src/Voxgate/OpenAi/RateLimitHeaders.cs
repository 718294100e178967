using System.Globalization;
using Voxgate.Gateway.RateLimits;

namespace Voxgate.OpenAi;

/// <summary>
/// OpenAI's <c>x-ratelimit-*</c> headers. OpenAI limits tokens; Voxgate limits characters, so the <c>-tokens</c>
/// headers carry characters.
/// </summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, RateLimitDecision limits)
    {
        if (limits.Requests.Limit == int.MaxValue)
        {
            return; // unmetered (authentication off)
        }
        IHeaderDictionary headers = response.Headers;
        headers["x-ratelimit-limit-requests"] = limits.Requests.Limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-requests"] = limits.Requests.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-requests"] = Duration(limits.Requests.ResetAfter);
        headers["x-ratelimit-limit-tokens"] = limits.Characters.Limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-tokens"] = limits.Characters.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-tokens"] = Duration(limits.Characters.ResetAfter);
    }

    /// <summary>OpenAI's duration format: "250ms", "17s", "6m0s".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Ceiling(span.TotalMilliseconds):0}ms";
        }
        long seconds = (long)Math.Ceiling(span.TotalSeconds);
        return seconds < 60 ? $"{seconds}s" : $"{seconds / 60}m{seconds % 60}s";
    }
}
