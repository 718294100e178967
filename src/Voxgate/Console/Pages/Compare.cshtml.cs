using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Usage;

namespace Voxgate.WebConsole.Pages;

/// <summary>
/// Models side by side. <c>?models=a,b</c> (one parameter, comma-separated, as links write it) and
/// <c>?models=a&amp;models=b</c> (as the checkboxes submit it) both work; ids or aliases, each model once.
/// </summary>
public sealed class CompareModel(ModelSheets sheets, LiveFigures figures) : PageModel
{
    /// <summary>More columns than this would not fit a page; the rest are ignored.</summary>
    public const int MaxModels = 6;

    public IReadOnlyList<ModelSheet> All { get; private set; } = [];

    public IReadOnlyList<ModelSheet> Chosen { get; private set; } = [];

    public IReadOnlyList<string> Unknown { get; private set; } = [];

    private IReadOnlyDictionary<string, ModelFigures> _figures = new Dictionary<string, ModelFigures>();

    public ModelFigures FiguresOf(ModelSheet sheet) => _figures.GetValueOrDefault(sheet.Id, LiveFigures.None(sheet.Id));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        All = sheets.All();
        string[] names = [.. Request.Query["models"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Take(MaxModels * 2)];
        var chosen = new List<ModelSheet>();
        var unknown = new List<string>();
        foreach (string name in names)
        {
            if (sheets.Find(name) is not { } sheet)
            {
                unknown.Add(name);
            }
            else if (chosen.Count < MaxModels && !chosen.Any(c => c.Id == sheet.Id))
            {
                chosen.Add(sheet);
            }
        }
        (Chosen, Unknown) = (chosen, unknown);
        _figures = await figures.ByModelAsync(cancellationToken);
    }
}
