using System.Diagnostics;

namespace Voxgate.Tests.Support;

/// <summary>
/// The temporary servers (PostgreSQL, Redis) a test run starts are stopped when it exits, but a run that is killed,
/// or whose exit is cut short by the test platform, leaves them running with their directories. Each directory names
/// the process that owns it (an <c>owner</c> file); before a run starts its first server of a kind, it stops and
/// deletes those whose owner is gone.
/// </summary>
public static class AbandonedServers
{
    private const string OwnerFile = "owner";

    /// <summary>Records this process as the owner of <paramref name="directory"/>.</summary>
    public static void Claim(string directory) =>
        File.WriteAllText(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Stops (<paramref name="stop"/>) and deletes every <c>prefix*</c> directory in the temp folder whose owner is gone.</summary>
    public static void Sweep(string prefix, Action<string> stop)
    {
        foreach (string directory in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            string owner = Path.Combine(directory, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out int pid) || IsAlive(pid))
            {
                continue; // not ours to judge, or still in use
            }
            try
            {
                stop(directory);
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Another run is sweeping it, or it is not ours after all: leave it.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
