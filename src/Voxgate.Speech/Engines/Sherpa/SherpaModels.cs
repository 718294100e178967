using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Models;

namespace Voxgate.Speech.Engines.Sherpa;

/// <summary>What the server knows of one installed model.</summary>
/// <param name="Status">loaded, verifying, broken or failed.</param>
public sealed record ModelStatus(string Id, string Engine, string Status, string? Problem, long MemoryBytes, int ActiveGenerations);

/// <summary>
/// Keeps the registry's neural engines in step with the installed models: at start and on every reload it verifies
/// new or changed models in a child process (<see cref="IModelVerifier"/>), loads the ones that pass, unloads removed
/// ones, and records why a model is not serving. Broken models are never loaded, so a model that would abort the
/// process aborts only its verifier.
/// </summary>
public sealed partial class SherpaModels(
    ModelStore store,
    SpeechEngineRegistry registry,
    IModelVerifier verifier,
    IOptions<ModelOptions> options,
    ILogger<SherpaModels> logger) : IDisposable
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly Dictionary<string, SherpaEngine> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelStatus> _status = new(StringComparer.Ordinal);
    private readonly Lock _statusLock = new();

    public IReadOnlyList<ModelStatus> Status
    {
        get
        {
            lock (_statusLock)
            {
                return [.. _status.Values.Select(s => _loaded.TryGetValue(s.Id, out SherpaEngine? engine)
                    ? s with { MemoryBytes = engine.MemoryBytes, ActiveGenerations = engine.ActiveGenerations }
                    : s).OrderBy(s => s.Id, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Brings the loaded engines in line with what is installed; returns the models' status.</summary>
    public async Task<IReadOnlyList<ModelStatus>> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            IReadOnlyList<InstalledModel> installed = store.List();
            foreach (ModelStatus gone in Status.Where(s => installed.All(m => m.Manifest.Id != s.Id)))
            {
                Unload(gone.Id);
                registry.ClearFailure(gone.Engine);
                SetStatus(gone.Id, null);
            }
            if (installed.Count > 0 && LibraryProblem() is { } problem)
            {
                // Not the models' fault: they stay unverified (not broken), and load once the library is fixed.
                registry.ReportFailure(LibraryEngineName, problem);
                foreach (InstalledModel model in installed)
                {
                    SetStatus(model.Manifest.Id, new ModelStatus(model.Manifest.Id, model.Manifest.Engine, "failed", problem, 0, 0));
                }
                return Status;
            }
            registry.ClearFailure(LibraryEngineName);
            foreach (InstalledModel model in installed)
            {
                await BringUpAsync(model, cancellationToken);
            }
            return Status;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>The name under which a missing or mismatched sherpa-onnx library is reported.</summary>
    public const string LibraryEngineName = "sherpa-onnx";

    /// <summary>Why sherpa-onnx cannot be used here (not installed, or a version whose layout is unknown), or null.</summary>
    private string? LibraryProblem()
    {
        try
        {
            Native.SherpaOnnx.UseLibraryDirectory(options.Value.LibraryDirectory);
            Native.SherpaOnnx.CheckVersion();
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or NotSupportedException or BadImageFormatException or InvalidOperationException)
        {
            return ex.Message;
        }
    }

    private async Task BringUpAsync(InstalledModel model, CancellationToken cancellationToken)
    {
        ModelManifest manifest = model.Manifest;
        if (_loaded.TryGetValue(manifest.Id, out SherpaEngine? current))
        {
            if (model.Health == ModelHealth.Verified && current.Model.Fingerprint == model.Fingerprint)
            {
                return; // unchanged
            }
            Unload(manifest.Id); // changed on disk: verify and load it again
        }
        if (model.Health == ModelHealth.Unverified)
        {
            SetStatus(manifest.Id, new ModelStatus(manifest.Id, manifest.Engine, "verifying", null, 0, 0));
            LogVerifying(logger, manifest.Id);
            ModelVerification verification = await verifier.VerifyAsync(manifest.Id, cancellationToken);
            model = store.Get(manifest.Id);
            if (!verification.Succeeded && model.Health != ModelHealth.Broken)
            {
                store.MarkBroken(manifest.Id, verification.Problem ?? "the trial load failed");
                model = store.Get(manifest.Id);
            }
        }
        if (model.Health != ModelHealth.Verified)
        {
            string problem = $"model '{manifest.Id}' is broken: {model.Problem ?? "it failed its trial load"}";
            SetStatus(manifest.Id, new ModelStatus(manifest.Id, manifest.Engine, "broken", model.Problem, 0, 0));
            registry.ReportFailure(manifest.Engine, problem);
            return;
        }
        try
        {
            SherpaEngine engine = SherpaEngine.Load(model, options.Value);
            try
            {
                registry.Add(engine);
            }
            catch (InvalidOperationException)
            {
                engine.Dispose();
                throw new InvalidOperationException($"the engine name '{manifest.Engine}' is taken by another engine; give this model another in its {ModelManifest.FileName}.");
            }
            lock (_statusLock)
            {
                _loaded[manifest.Id] = engine;
            }
            SetStatus(manifest.Id, new ModelStatus(manifest.Id, manifest.Engine, "loaded", null, engine.MemoryBytes, 0));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or NotSupportedException or InvalidOperationException)
        {
            SetStatus(manifest.Id, new ModelStatus(manifest.Id, manifest.Engine, "failed", ex.Message, 0, 0));
            registry.ReportFailure(manifest.Engine, $"model '{manifest.Id}': {ex.Message}");
        }
    }

    private void Unload(string id)
    {
        SherpaEngine engine;
        lock (_statusLock)
        {
            if (!_loaded.Remove(id, out engine!))
            {
                return;
            }
        }
        registry.Remove(engine.Name);
        registry.ClearFailure(engine.Name);
        // Requests already using it finish first; freeing waits for them, away from the caller.
        _ = Task.Run(engine.Dispose);
        LogUnloaded(logger, id);
    }

    private void SetStatus(string id, ModelStatus? status)
    {
        lock (_statusLock)
        {
            if (status is null)
            {
                _status.Remove(id);
            }
            else
            {
                _status[id] = status;
            }
        }
    }

    public void Dispose()
    {
        foreach (string id in _loaded.Keys.ToList())
        {
            Unload(id);
        }
        _reloading.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verifying model {ModelId} in a child process")]
    private static partial void LogVerifying(ILogger logger, string modelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} unloaded")]
    private static partial void LogUnloaded(ILogger logger, string modelId);
}
