using Voxgate.Gateway.Metrics;
using Voxgate.Gateway.Saturation;
using Voxgate.Speech.Engines;
using Voxgate.WebConsole.Admin;

namespace Voxgate.WebConsole.Pages.Admin;

/// <summary>
/// The engines this node runs and their turns (<see cref="EngineAdmission.Load"/>: slots in use, requests waiting),
/// engines that failed to load, and the task queue of every node (<see cref="StoreGauges.TaskQueue"/>, the reading
/// <c>/metrics</c> exports).
/// </summary>
public sealed class EnginesModel(SpeechEngineRegistry registry, EngineAdmission admission, StoreGauges gauges) : AdminPageModel
{
    /// <param name="Voices">Null for an upstream provider (its capacity is counted here, its voices are not).</param>
    public sealed record Row(string Name, string? Version, int? Voices, EngineLoad? Load);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyList<EngineLoadFailure> Failures { get; private set; } = [];

    public TaskQueueReading Tasks { get; private set; } = null!;

    public void OnGet()
    {
        IReadOnlyDictionary<string, EngineLoad> load = admission.Load;
        IReadOnlyList<ISpeechEngine> engines = registry.Engines;
        Rows = [.. engines.Select(e => new Row(e.Name, e.Version, e.Voices.Count, load.TryGetValue(e.Name, out EngineLoad l) ? l : null))
            .Concat(load.Where(l => engines.All(e => !e.Name.Equals(l.Key, StringComparison.OrdinalIgnoreCase))).Select(l => new Row(l.Key, null, null, l.Value)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)];
        Failures = registry.Failures;
        Tasks = gauges.TaskQueue;
    }
}
