using System.Collections.Concurrent;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;

namespace Voxgate.WebConsole.Admin;

/// <summary>Where a pull has got: downloading, loading (verified in a child process, then loaded), done or failed.</summary>
public sealed record PullProgress(string Id, string Phase, string? File, long Done, long? Total, string? Problem, DateTimeOffset StartedAt)
{
    public const string Downloading = "downloading";
    public const string Loading = "loading";
    public const string Installed = "done";
    public const string Failed = "failed";

    public bool Finished => Phase is Installed or Failed;
}

/// <summary>
/// Pulls started from the console's model page: <see cref="ModelInstaller.PullAsync"/> (what <c>voxgate models pull</c>
/// runs) in the background, then <see cref="SherpaModels.ReloadAsync"/>, which verifies the new model in a child process
/// and loads it. One pull per model at a time; the last pull of each model is remembered until the process ends (at
/// most one per known model), so the page can say how it ended.
/// </summary>
public sealed partial class ModelPulls(ModelInstaller installer, SherpaModels models, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ModelPulls> logger)
{
    private readonly ConcurrentDictionary<string, Pull> _pulls = new(StringComparer.Ordinal);
    private readonly Lock _starting = new();

    public IReadOnlyList<PullProgress> Current => [.. _pulls.Values.Select(p => p.Progress).OrderBy(p => p.Id, StringComparer.Ordinal)];

    /// <summary>Starts pulling a known model; null when it started, else why not (unknown, installed, already pulling).</summary>
    public string? Start(string id)
    {
        if (installer.Known().All(k => k.Id != id))
        {
            return $"'{id}' is not a known model.";
        }
        var pull = new Pull(new PullProgress(id, PullProgress.Downloading, null, 0, null, null, time.GetUtcNow()));
        lock (_starting)
        {
            if (_pulls.TryGetValue(id, out Pull? existing) && !existing.Progress.Finished)
            {
                return $"'{id}' is being pulled already.";
            }
            _pulls[id] = pull;
        }
        _ = Task.Run(() => RunAsync(pull, lifetime.ApplicationStopping));
        return null;
    }

    private async Task RunAsync(Pull pull, CancellationToken stopping)
    {
        string id = pull.Progress.Id;
        try
        {
            await installer.PullAsync(id, replace: false, pull, stopping);
            pull.Progress = pull.Progress with { Phase = PullProgress.Loading };
            IReadOnlyList<ModelStatus> status = await models.ReloadAsync(stopping);
            ModelStatus? model = status.FirstOrDefault(s => s.Id == id);
            pull.Progress = model is { Status: not "loaded" }
                ? pull.Progress with { Phase = PullProgress.Failed, Problem = $"installed, but {model.Status}: {model.Problem}" }
                : pull.Progress with { Phase = PullProgress.Installed };
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            pull.Progress = pull.Progress with { Phase = PullProgress.Failed, Problem = "the server is stopping" };
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException or HttpRequestException or UnauthorizedAccessException)
        {
            // What the CLI prints for the same failures: the download's address, a size or checksum mismatch, a full disk.
            LogPullFailed(logger, id, ex.Message);
            pull.Progress = pull.Progress with { Phase = PullProgress.Failed, Problem = ex.Message };
        }
    }

    /// <summary>One pull; the installer reports to it directly (not through <see cref="Progress{T}"/>, whose callbacks may arrive out of order).</summary>
    private sealed class Pull(PullProgress start) : IProgress<DownloadProgress>
    {
        private PullProgress _progress = start;

        public PullProgress Progress
        {
            get => Volatile.Read(ref _progress);
            set => Volatile.Write(ref _progress, value);
        }

        public void Report(DownloadProgress value) =>
            Progress = Progress with { File = value.File, Done = value.Done, Total = value.Total };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulling model {Model} failed: {Problem}")]
    private static partial void LogPullFailed(ILogger logger, string model, string problem);
}
