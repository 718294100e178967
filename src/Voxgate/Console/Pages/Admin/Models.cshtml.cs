using Microsoft.AspNetCore.Mvc;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.WebConsole.Admin;

namespace Voxgate.WebConsole.Pages.Admin;

/// <summary>
/// The neural models: installed ones with their state (<see cref="SherpaModels.Status"/>, what <c>GET /admin/models</c>
/// reports), the known ones <c>voxgate models pull</c> can fetch, with a button that starts the same pull here
/// (<see cref="ModelPulls"/>), and the pulls under way, whose progress <c>admin.js</c> polls from <c>/console/admin/models/progress</c>.
/// </summary>
public sealed class ModelsModel(SherpaModels models, ModelStore store, ModelInstaller installer, ModelPulls pulls) : AdminPageModel
{
    public sealed record Installed(ModelStatus Status, InstalledModel? Model);

    public IReadOnlyList<Installed> Models { get; private set; } = [];

    /// <summary>Known models not installed, which a pull can fetch.</summary>
    public IReadOnlyList<KnownModel> Pullable { get; private set; } = [];

    public IReadOnlyList<PullProgress> Pulls { get; private set; } = [];

    public void OnGet(string? pulling)
    {
        Load();
        if (pulling is not null)
        {
            Notice = $"Pulling {pulling}: the download's progress shows below.";
        }
    }

    public IActionResult OnPostPull(string? id)
    {
        if (pulls.Start(id ?? "") is { } refused)
        {
            Problem = refused;
            Response.StatusCode = StatusCodes.Status409Conflict;
            Load();
            return Page();
        }
        return Redirect($"/console/admin/models?pulling={Uri.EscapeDataString(id!)}");
    }

    /// <summary>The pulls as JSON, for the page's poll (admin only, like the page).</summary>
    public IActionResult OnGetProgress()
    {
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new
        {
            pulls = pulls.Current.Select(p => new { id = p.Id, phase = p.Phase, file = p.File, done = p.Done, total = p.Total, problem = p.Problem, finished = p.Finished }),
        });
    }

    private void Load()
    {
        IReadOnlyList<InstalledModel> installed = store.List();
        Models = [.. models.Status.Select(s => new Installed(s, installed.FirstOrDefault(m => m.Manifest.Id == s.Id)))];
        Pullable = [.. installer.Known().Where(k => installed.All(m => m.Manifest.Id != k.Id))];
        Pulls = pulls.Current;
    }
}
