using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Models;

/// <summary>How far a download has got.</summary>
public readonly record struct DownloadProgress(string File, long Done, long? Total);

/// <summary>
/// Installs models: <see cref="PullAsync"/> fetches a known model's archive (resuming a partial download, checking its
/// size and SHA-256), <see cref="AddAsync"/> takes a local folder or archive (machines without internet). Either way
/// the files are unpacked into a staging folder, described (<see cref="ModelLayout"/>), and moved into place whole.
/// </summary>
public sealed class ModelInstaller(ModelStore store, IOptions<ModelOptions> options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "voxgate-models";

    private string Downloads => Path.Combine(store.Root, ".downloads");

    /// <summary>The known models: <c>&lt;data&gt;/models.json</c> when the operator wrote one, else the shipped list.</summary>
    public IReadOnlyList<KnownModel> Known()
    {
        string operatorList = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(store.Root)) ?? ".", "models.json");
        return KnownModel.Load(File.Exists(operatorList) ? operatorList : options.Value.KnownModelsFile);
    }

    /// <exception cref="InvalidOperationException">Unknown id, already installed, or a checksum or size mismatch.</exception>
    public async Task<InstalledModel> PullAsync(string id, bool replace, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        KnownModel known = Known().FirstOrDefault(k => k.Id == id)
            ?? throw new InvalidOperationException($"'{id}' is not a known model ('voxgate models list' shows them); 'voxgate models add PATH' installs one from a file.");
        if (!ModelStore.IsValidId(id) || known.Extra.Any(e => e.File != Path.GetFileName(e.File) || e.File.StartsWith('.')))
        {
            throw new InvalidOperationException($"The known-model list's entry '{id}' names a folder or file outside the model's own; fix models.json.");
        }
        CheckNotInstalled(id, replace);
        Directory.CreateDirectory(Downloads);
        string archive = await DownloadAsync(new Uri(known.Url), $"{id}{ArchiveExtension(known.Url)}", known.Bytes, known.Sha256, progress, cancellationToken);
        string staging = StagingFolder(id);
        try
        {
            await UnpackAsync(archive, staging, cancellationToken);
            string root = ModelRoot(staging);
            foreach (KnownFile extra in known.Extra)
            {
                string file = await DownloadAsync(new Uri(extra.Url), $"{id}-{extra.File}", extra.Bytes, extra.Sha256, progress, cancellationToken);
                File.Move(file, Path.Combine(root, extra.File), overwrite: true);
            }
            InstalledModel installed = Install(root, id, known, known.Url, replace);
            File.Delete(archive);
            return installed;
        }
        finally
        {
            DeleteIfExists(staging);
        }
    }

    /// <summary>Installs from a model folder or a .tar.bz2 / .tar.gz / .tar archive; the id defaults to its name.</summary>
    public async Task<InstalledModel> AddAsync(string path, string? id, bool replace, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        id ??= ArchiveName(full);
        if (!ModelStore.IsValidId(id))
        {
            throw new InvalidOperationException($"'{id}' cannot be a model id: use letters, digits, '.', '-' and '_' (--id names it).");
        }
        CheckNotInstalled(id, replace);
        KnownModel? known = Known().FirstOrDefault(k => k.Id == id);
        string staging = StagingFolder(id);
        try
        {
            if (Directory.Exists(full))
            {
                CopyDirectory(full, staging);
            }
            else if (File.Exists(full))
            {
                await UnpackAsync(full, staging, cancellationToken);
            }
            else
            {
                throw new InvalidOperationException($"{full} does not exist.");
            }
            return Install(ModelRoot(staging), id, known, full, replace);
        }
        finally
        {
            DeleteIfExists(staging);
        }
    }

    private InstalledModel Install(string root, string id, KnownModel? known, string source, bool replace)
    {
        ModelManifest manifest = ModelLayout.Describe(root, id, known, source);
        manifest.Save(root);
        string destination = Path.Combine(store.Root, id);
        if (replace)
        {
            DeleteIfExists(destination);
        }
        Directory.Move(root, destination);
        return store.Get(id);
    }

    /// <summary>
    /// Downloads to <c>.downloads/&lt;name&gt;.part</c>, resuming from what an earlier attempt left (HTTP Range), then
    /// checks the size and SHA-256 when they are published. A mismatch deletes the download, so a retry starts clean.
    /// </summary>
    private async Task<string> DownloadAsync(Uri url, string name, long? expectedBytes, string? expectedSha256,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string part = Path.Combine(Downloads, name + ".part");
        HttpClient http = httpClients.CreateClient(HttpClientName);
        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        long? total;
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            total = have; // the part file already holds everything
        }
        else
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            bool resumed = response.StatusCode == HttpStatusCode.PartialContent;
            if (!resumed)
            {
                have = 0; // the server sends the whole file: start over
            }
            total = response.Content.Headers.ContentLength is long length ? have + length : expectedBytes;
            await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var file = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            byte[] buffer = new byte[81920];
            int read;
            long done = have;
            progress?.Report(new DownloadProgress(name, done, total));
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                done += read;
                progress?.Report(new DownloadProgress(name, done, total));
            }
        }
        long size = new FileInfo(part).Length;
        if (expectedBytes is long bytes && size != bytes || total is long announced && size != announced)
        {
            File.Delete(part);
            throw new InvalidOperationException($"{name}: downloaded {size:N0} bytes, expected {expectedBytes ?? total:N0}; the download was deleted, try again.");
        }
        if (expectedSha256 is not null)
        {
            string actual;
            await using (FileStream file = File.OpenRead(part))
            {
                actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            }
            if (!actual.Equals(expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(part);
                throw new InvalidOperationException($"{name}: SHA-256 {actual} is not the published {expectedSha256.ToLowerInvariant()}; the download was deleted.");
            }
        }
        string finished = Path.Combine(Downloads, name);
        File.Move(part, finished, overwrite: true);
        return finished;
    }

    /// <summary>Unpacks an archive (.tar.bz2, .tar.gz, .tgz, .tar), or copies a single file, into <paramref name="destination"/>.</summary>
    private static async Task UnpackAsync(string archive, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        string name = archive.ToLowerInvariant();
        Stream? tar = name.EndsWith(".tar.bz2", StringComparison.Ordinal) || name.EndsWith(".tbz2", StringComparison.Ordinal)
            ? new Bzip2.DecompressingStream(File.OpenRead(archive))
            : name.EndsWith(".tar.gz", StringComparison.Ordinal) || name.EndsWith(".tgz", StringComparison.Ordinal)
                ? new GZipStream(File.OpenRead(archive), CompressionMode.Decompress)
                : name.EndsWith(".tar", StringComparison.Ordinal) ? File.OpenRead(archive) : null;
        if (tar is null)
        {
            File.Copy(archive, Path.Combine(destination, Path.GetFileName(archive)));
            return;
        }
        await using (tar)
        {
            try
            {
                // .NET refuses entries that would land outside the destination (../ and absolute paths).
                await TarFile.ExtractToDirectoryAsync(tar, destination, overwriteFiles: true, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new InvalidOperationException($"{Path.GetFileName(archive)} is not a readable archive: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Archives hold one top folder (<c>kokoro-en-v0_19/</c>); a folder of model files is its own root.</summary>
    private static string ModelRoot(string staging)
    {
        string[] directories = Directory.GetDirectories(staging);
        return Directory.GetFiles(staging).Length == 0 && directories.Length == 1 ? directories[0] : staging;
    }

    private void CheckNotInstalled(string id, bool replace)
    {
        if (!replace && store.Find(id) is not null)
        {
            throw new InvalidOperationException($"'{id}' is already installed; remove it first, or pass --force to replace it.");
        }
    }

    private string StagingFolder(string id) => Path.Combine(store.Root, $".staging-{id}-{Guid.NewGuid():N}");

    private static string ArchiveName(string path)
    {
        string name = Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar));
        foreach (string extension in new[] { ".tar.bz2", ".tar.gz", ".tbz2", ".tgz", ".tar" })
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return name[..^extension.Length];
            }
        }
        return name;
    }

    private static string ArchiveExtension(string url)
    {
        string path = new Uri(url).AbsolutePath;
        return path.EndsWith(".tar.bz2", StringComparison.OrdinalIgnoreCase) ? ".tar.bz2"
            : path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) ? ".tar.gz"
            : Path.GetExtension(path);
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (string directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
