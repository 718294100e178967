using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;

namespace Voxgate.Models;

/// <summary>
/// Loads the installed neural models once the server is up (verifying new ones in a child process first, so start-up
/// is not held back by them), and again whenever the models folder changes: <c>voxgate models add/pull/remove</c>
/// take effect on a running server within about a second. <c>POST /admin/models/reload</c> does the same on demand.
/// </summary>
public sealed partial class ModelLoaderService(SherpaModels models, IOptions<ModelOptions> options, ILogger<ModelLoaderService> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string root = options.Value.Directory;
        Directory.CreateDirectory(root);
        using var changed = new SemaphoreSlim(0, 1);
        using var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName };
        // Downloads, staging folders and the verifier's state files are hidden (a leading dot): only a model folder
        // appearing, disappearing or being renamed into place counts as a change.
        static bool Visible(string? name) => name is not null && !name.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));
        void Signal(object? sender, FileSystemEventArgs e)
        {
            if (Visible(e.Name) || e is RenamedEventArgs renamed && Visible(renamed.OldName))
            {
                try
                {
                    changed.Release();
                }
                catch (SemaphoreFullException)
                {
                    // a reload is already pending
                }
            }
        }
        watcher.Created += Signal;
        watcher.Deleted += Signal;
        watcher.Renamed += Signal;
        watcher.EnableRaisingEvents = true;

        await ReloadAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await changed.WaitAsync(stoppingToken);
                await Task.Delay(Settle, stoppingToken); // let a copy or an extraction finish
                while (changed.CurrentCount > 0)
                {
                    await changed.WaitAsync(stoppingToken);
                }
                await ReloadAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<ModelStatus> status = await models.ReloadAsync(cancellationToken);
            LogReloaded(logger, status.Count(s => s.Status == "loaded"), status.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store or verifier failure: keep serving with what is loaded, and try again on the next change.
            LogReloadFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Neural models: {Loaded} of {Installed} installed are loaded")]
    private static partial void LogReloaded(ILogger logger, int loaded, int installed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the neural models failed")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
