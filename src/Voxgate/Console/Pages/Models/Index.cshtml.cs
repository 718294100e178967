using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Usage;

namespace Voxgate.WebConsole.Pages;

public sealed class ModelsIndexModel(ModelSheets sheets, LiveFigures figures) : PageModel
{
    public IReadOnlyList<ModelSheet> Sheets { get; private set; } = [];

    public IReadOnlyDictionary<string, ModelFigures> Figures { get; private set; } = new Dictionary<string, ModelFigures>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Sheets = sheets.All();
        Figures = await figures.ByModelAsync(cancellationToken);
    }
}
