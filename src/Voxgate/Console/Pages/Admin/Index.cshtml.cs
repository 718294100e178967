using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Metrics;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.WebConsole.Admin;

namespace Voxgate.WebConsole.Pages.Admin;

/// <summary>The admin pages' front: a count of each thing the other pages manage, each linking to its page.</summary>
public sealed class AdminIndexModel(AccountService accounts, SherpaModels models, SpeechEngineRegistry registry, StoreGauges gauges) : AdminPageModel
{
    public int Accounts { get; private set; }

    public int ModelsLoaded { get; private set; }

    public int ModelsInstalled { get; private set; }

    public int Engines { get; private set; }

    public int EngineFailures { get; private set; }

    public TaskQueueReading Tasks { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Accounts = (await accounts.ListAccountsAsync(cancellationToken)).Count;
        IReadOnlyList<ModelStatus> status = models.Status;
        (ModelsInstalled, ModelsLoaded) = (status.Count, status.Count(s => s.Status == "loaded"));
        (Engines, EngineFailures) = (registry.Engines.Count, registry.Failures.Count);
        Tasks = gauges.TaskQueue;
    }
}
