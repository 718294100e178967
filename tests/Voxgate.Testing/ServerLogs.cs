using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Voxgate.Tests.Support;

/// <summary>
/// Where the servers a test run starts write their logs: one file per server under <c>artifacts/test-logs/</c> (the
/// child <c>voxgate serve</c> processes' output, and the in-process hosts' log lines), not the test output, so a green
/// run prints nothing of them. A failure points to them: the fixtures' own errors name their file, and ./test.sh
/// prints the folder when a test failed. xunit 2 tells a fixture nothing about whether its tests passed, so the logs
/// are always written and the run's start clears the folder.
/// </summary>
public static class ServerLogs
{
    private static int s_files;

    /// <summary>A new log file for a server called <paramref name="name"/> (its fixture's type, say).</summary>
    public static string NewFile(string name)
    {
        string directory = Path.Combine(ServerProcess.RepositoryRoot(), "artifacts", "test-logs");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{name}-{Environment.ProcessId}-{Interlocked.Increment(ref s_files)}.log");
    }

    /// <summary>A logger provider that appends every line to <paramref name="path"/>.</summary>
    public static ILoggerProvider FileProvider(string path) => new FileLoggerProvider(path);

    private sealed class FileLoggerProvider(string path) : ILoggerProvider
    {
        private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        private readonly ConcurrentDictionary<string, ILogger> _loggers = new();

        public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, category => new FileLogger(category, this));

        public void Dispose()
        {
            lock (_writer)
            {
                _writer.Dispose();
            }
        }

        private void Write(string line)
        {
            lock (_writer)
            {
                if (_writer.BaseStream.CanWrite)
                {
                    _writer.WriteLine(line);
                }
            }
        }

        private sealed class FileLogger(string category, FileLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Write($"{DateTimeOffset.UtcNow:O} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
        }
    }
}
