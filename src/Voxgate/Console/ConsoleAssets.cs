using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Voxgate.WebConsole;

/// <summary>
/// The console's stylesheet and scripts, embedded in the executable (no wwwroot to find beside it, no build chain)
/// and served from <c>/console/{name}</c> with a content hash as ETag, so a changed file is fetched again at once.
/// </summary>
public static class ConsoleAssets
{
    private const string ResourcePrefix = "Voxgate.Console.Assets.";

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>The path a page links to: the file's name with its hash as the version, so caches never serve an old one.</summary>
    public static string Url(string name) => $"/console/{name}?v={Assets[name].ETag.Trim('"')[..12]}";

    internal static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/console/{name}", Serve).ExcludeFromDescription();
        // Browsers ask for /favicon.ico on documents that name no icon (llms.txt, JSON); the console's icon answers.
        app.MapGet("/favicon.ico", (HttpContext http) => Serve("favicon.svg", http)).ExcludeFromDescription();
    }

    private static IResult Serve(string name, HttpContext http)
    {
        if (!Assets.TryGetValue(name, out Asset? asset))
        {
            return Results.NotFound();
        }
        ConsoleHeaders.Apply(http.Response);
        http.Response.Headers.CacheControl = "public, max-age=3600";
        if (http.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        http.Response.Headers.ETag = asset.ETag;
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        Assembly assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            string name = resource[ResourcePrefix.Length..];
            string type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = new Asset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
