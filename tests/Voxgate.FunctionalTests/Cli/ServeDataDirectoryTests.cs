using System.Diagnostics;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Cli;

/// <summary>
/// A test that makes files immutable with <c>chattr +i</c>, the one way to make a file unwritable for root (the tests
/// run as root here, and root ignores permission bits). Reported as skipped where chattr is missing or not permitted
/// (a container without CAP_LINUX_IMMUTABLE, a file system without the attribute).
/// </summary>
public sealed class ImmutableFilesFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> s_available = new(() =>
    {
        string directory = Directory.CreateTempSubdirectory("voxgate-chattr-").FullName;
        try
        {
            return ServeDataDirectoryTests.Chattr("+i", directory) && ServeDataDirectoryTests.Chattr("-i", directory);
        }
        finally
        {
            Directory.Delete(directory);
        }
    });

    public ImmutableFilesFactAttribute()
    {
        if (!s_available.Value)
        {
            Skip = "Skipped: chattr +i does not work here, so nothing can be made unwritable for root.";
        }
    }
}

/// <summary>
/// <c>voxgate serve</c> on a data directory it cannot use: one line on stderr that names the path and says what to do,
/// exit code 1, never an unhandled exception, a stack trace or an abort.
/// </summary>
public sealed class ServeDataDirectoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("voxgate-serve-data-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ADataDirectoryUnderAFileCannotBeCreated()
    {
        string file = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        string data = Path.Combine(file, "data");
        string message = await RefusedAsync(data);
        Assert.Contains($"The data directory {data} cannot be created", message);
        Assert.Contains("--data", message);
    }

    [Fact]
    public async Task ADataDirectoryThatIsAFileIsRefused()
    {
        string data = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(data, "not a directory");
        Assert.Contains($"The data directory {data} is a file", await RefusedAsync(data));
    }

    [Fact]
    public async Task ADirectoryNobodyCanCreateFilesInIsNotWritable()
    {
        // /proc exists everywhere and refuses new files even to root: a read-only data directory that needs no privilege.
        Assert.Contains("The data directory /proc is not writable", await RefusedAsync("/proc"));
    }

    [Fact]
    public async Task ADatabaseThatIsADirectoryIsRefused()
    {
        string database = Path.Combine(_directory, "voxgate.db");
        Directory.CreateDirectory(database);
        Assert.Contains($"The database file {database} is a directory", await RefusedAsync(_directory));
    }

    [Fact]
    public async Task ADatabaseSqliteCannotOpenEndsInOneLineToo()
    {
        // Writable, so the check up front passes: SQLite itself refuses it, during start-up.
        string database = Path.Combine(_directory, "voxgate.db");
        await File.WriteAllBytesAsync(database, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 + 3))]);
        string message = await RefusedAsync(_directory);
        Assert.Contains($"The database {database} cannot be used", message);
        Assert.Contains("file is not a database", message);
    }

    [ImmutableFilesFact]
    public async Task AnImmutableDataDirectoryOrDatabaseIsNotWritable()
    {
        string database = Path.Combine(_directory, "voxgate.db");
        await File.WriteAllBytesAsync(database, []); // an empty file is an empty SQLite database
        Assert.Contains($"The data directory {_directory} is not writable", await WhileImmutableAsync(_directory, () => RefusedAsync(_directory)));
        Assert.Contains($"The database file {database} is not writable", await WhileImmutableAsync(database, () => RefusedAsync(_directory)));
    }

    /// <summary>Runs <paramref name="run"/> while <paramref name="path"/> is immutable, and makes it mutable again whatever happens.</summary>
    private static async Task<string> WhileImmutableAsync(string path, Func<Task<string>> run)
    {
        Assert.True(Chattr("+i", path));
        try
        {
            return await run();
        }
        finally
        {
            Assert.True(Chattr("-i", path));
        }
    }

    /// <summary>Runs <c>voxgate serve --port 0 --data DATA</c>, which must refuse to start; returns its one line.</summary>
    private static async Task<string> RefusedAsync(string data)
    {
        (int exitCode, string stdout, string stderr) = await ServeAsync(data);
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{stderr}");
        Assert.DoesNotContain("Unhandled exception", stdout + stderr);
        Assert.DoesNotContain("   at ", stdout + stderr);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(data, line);
        return line;
    }

    /// <summary>
    /// Runs the server as <see cref="CliRunner"/> does, but kills it if it should start after all: a server that
    /// serves never exits by itself, and the test must fail rather than wait forever.
    /// </summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> ServeAsync(string data)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { ServerProcess.ServerDll(), "serve", "--port", "0", "--data", data },
        };
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"voxgate serve started on {data} instead of refusing it:\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    internal static bool Chattr(string change, string path)
    {
        try
        {
            using Process chattr = Process.Start(new ProcessStartInfo("chattr", [change, path]) { RedirectStandardError = true, UseShellExecute = false })!;
            chattr.StandardError.ReadToEnd();
            chattr.WaitForExit();
            return chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no chattr at all
        }
    }
}
