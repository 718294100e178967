using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Voxgate.WebConsole.Pages;

public sealed class ModelsIndexModel(ModelSheets sheets, IModelFigures figures) : PageModel
{
    public IReadOnlyList<ModelSheet> Sheets { get; private set; } = [];

    public IReadOnlyDictionary<string, ModelFigures> Figures { get; private set; } = new Dictionary<string, ModelFigures>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Sheets = sheets.All();
        Figures = await figures.ForModelsAsync(TimeSpan.FromDays(1), cancellationToken);
    }
}
