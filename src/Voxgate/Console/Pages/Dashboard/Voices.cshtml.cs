using Microsoft.AspNetCore.Mvc;
using Voxgate.Gateway.Voices;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>The account's cloned and designed voices (<see cref="VoiceService"/>), each deletable; another account's id is not found.</summary>
public sealed class VoicesModel(VoiceService voices) : DashboardPage
{
    public IReadOnlyList<CustomVoice> Voices { get; private set; } = [];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(string? id, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await voices.DeleteAsync(AccountId, id ?? "", null, cancellationToken);
        return RedirectToPage();
    }, () => LoadAsync(cancellationToken));

    private async Task LoadAsync(CancellationToken cancellationToken) => Voices = await voices.ListAsync(AccountId, cancellationToken);
}
