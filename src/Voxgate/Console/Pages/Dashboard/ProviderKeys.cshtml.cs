using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Speech.Upstreams;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>Bring-your-own-key through <see cref="ProviderKeyService"/>: attach (or replace), remove; hints only.</summary>
public sealed class ProviderKeysModel(ProviderKeyService keys, IOptions<UpstreamOptions> upstreams) : DashboardPage
{
    public IReadOnlyList<ProviderKeyInfo> Keys { get; private set; } = [];

    public IReadOnlyList<string> Providers => [.. upstreams.Value.Keys.Order(StringComparer.Ordinal)];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostAttachAsync(string? provider, string? apiKey, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await keys.AttachAsync(AccountId, provider ?? "", apiKey ?? "", cancellationToken);
        return RedirectToPage();
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostRemoveAsync(string? provider, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await keys.RemoveAsync(AccountId, provider ?? "", cancellationToken);
        return RedirectToPage();
    }, () => LoadAsync(cancellationToken));

    private async Task LoadAsync(CancellationToken cancellationToken) => Keys = await keys.ListAsync(AccountId, cancellationToken);
}
