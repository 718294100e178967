using Voxgate.Gateway.Storage;

namespace Voxgate.Hosting;

/// <summary>
/// Checks, before the server starts, that it can write its data directory and its database: otherwise SQLite fails
/// deep inside start-up with an exception that names neither the path nor the remedy. Writability is tried, not
/// inferred from permission bits, which say nothing for root, immutable files, read-only mounts or ACLs.
/// </summary>
public static class WritableDataDirectory
{
    private const string Elsewhere = "pass --data (or set VOXGATE_DATA) to a directory this user can write";

    /// <summary>What keeps the server from writing <paramref name="dataDirectory"/>, in one line naming the path; null when nothing does.</summary>
    public static string? Problem(string dataDirectory)
    {
        if (File.Exists(dataDirectory))
        {
            return $"The data directory {dataDirectory} is a file, not a directory: {Elsewhere}.";
        }
        try
        {
            Directory.CreateDirectory(dataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"The data directory {dataDirectory} cannot be created ({Reason(ex)}). Create it, or {Elsewhere}.";
        }
        string probe = Path.Combine(dataDirectory, $".voxgate-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            // Created and deleted on close: nothing is left behind, whatever happens next.
            using var written = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            written.WriteByte(0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"The data directory {dataDirectory} is not writable ({Reason(ex)}). Make it writable for this user, or {Elsewhere}.";
        }
        string database = new StorageOptions { DataDirectory = dataDirectory }.DatabasePath;
        // SQLite writes the database and, in WAL mode, its -wal and -shm files beside it.
        foreach (string file in (string[])[database, database + "-wal", database + "-shm"])
        {
            if (Directory.Exists(file))
            {
                return $"The database file {file} is a directory, not a file. Move it away, or {Elsewhere}.";
            }
            if (!File.Exists(file))
            {
                continue;
            }
            try
            {
                using var opened = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"The database file {file} is not writable ({Reason(ex)}). Make it writable for this user, or {Elsewhere}.";
            }
        }
        return null;
    }

    /// <summary>The system's reason (an exception's message), on one line, to quote in a sentence.</summary>
    internal static string Reason(Exception ex) => ex.Message.ReplaceLineEndings(" ").TrimEnd('.');
}
