using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.Files;

/// <summary>Stored files (configuration section <c>Voxgate:Files</c>).</summary>
public sealed class FileStoreOptions
{
    public const string Section = "Voxgate:Files";

    /// <summary>
    /// Where the bytes are (<c>--files</c>, <c>VOXGATE_FILES</c>); null for <c>&lt;data&gt;/files</c>. Every node of a
    /// deployment must see the same directory (a shared volume), since any node may serve any file.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>How long an asynchronous result (and an upload) is kept: MiniMax keeps results 7 days.</summary>
    [Positive]
    public TimeSpan ResultLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a download link from files/retrieve works: MiniMax's is 9 hours.</summary>
    [Positive]
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromHours(9);

    /// <summary>How long a synchronous <c>output_format: url</c> answer (and its subtitles) is kept and linked: 24 hours.</summary>
    [Positive]
    public TimeSpan OutputLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The largest upload, and the most a zip may expand to.</summary>
    [Positive]
    public long MaxUploadBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The most bytes of live files one account may keep (uploads, results and links together); an upload that would
    /// pass it is refused. Results of paid work are stored whatever the quota, and count against it.
    /// </summary>
    [Positive]
    public long MaxBytesPerAccount { get; set; } = 1024L * 1024 * 1024;

    /// <summary>The most live files one account may keep; as <see cref="MaxBytesPerAccount"/>.</summary>
    [Positive]
    public int MaxFilesPerAccount { get; set; } = 1000;

    /// <summary>How often expired files are deleted.</summary>
    [Positive]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
