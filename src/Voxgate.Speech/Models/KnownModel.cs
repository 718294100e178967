using System.Text.Json;
using Voxgate.Speech.Engines;

namespace Voxgate.Speech.Models;

/// <summary>
/// A model <c>voxgate models pull</c> knows how to fetch: its archive's public address and, where published, its
/// size and SHA-256. The list is data (<c>models.json</c> beside the executable, or <c>&lt;data&gt;/models.json</c>,
/// which replaces it), not code.
/// </summary>
public sealed record KnownModel
{
    public required string Id { get; init; }

    public required string Engine { get; init; }

    public string Description { get; init; } = "";

    public string? License { get; init; }

    /// <summary>A <c>.tar.bz2</c> (sherpa-onnx's release archives) or a single file.</summary>
    public required string Url { get; init; }

    /// <summary>The archive's size in bytes, when published; checked after download.</summary>
    public long? Bytes { get; init; }

    /// <summary>The archive's SHA-256 (hex), when published; checked after download. Without one, the digest is recorded.</summary>
    public string? Sha256 { get; init; }

    /// <summary>More files to fetch into the model's folder (a Matcha vocoder).</summary>
    public IReadOnlyList<KnownFile> Extra { get; init; } = [];

    /// <summary>The language of a single-language model, and Kokoro's front-end language.</summary>
    public string? Language { get; init; }

    /// <summary>The name of a single-speaker model's voice (<c>thorsten</c>).</summary>
    public string? Voice { get; init; }

    public VoiceGender? Gender { get; init; }

    /// <summary>Approximate size once installed, for the listing.</summary>
    public string? Size { get; init; }

    public static IReadOnlyList<KnownModel> Load(string path) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<List<KnownModel>>(File.ReadAllText(path), ModelManifest.Json) ?? []
            : [];
}

/// <summary>An extra file of a known model.</summary>
public sealed record KnownFile(string Url, string File, long? Bytes = null, string? Sha256 = null);
