namespace Voxgate.WebConsole;

/// <summary>
/// The headers every console response carries. The policy allows only this origin's own scripts, styles, images and
/// connections: no inline script or style (not even a <c>style=""</c> attribute), nothing from a CDN, no framing.
/// <c>media-src</c> also allows <c>blob:</c> so that a page may play audio it assembles from a stream it fetched.
/// </summary>
public static class ConsoleHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "media-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        IHeaderDictionary headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
