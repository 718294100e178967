using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Usage;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;

namespace Voxgate.WebConsole.Pages;

/// <summary>
/// One model's page. The id may carry its slash as is (<c>/models/minimax/minimax-speech-02-hd</c>) or
/// percent-encoded (<c>%2F</c>, which the server leaves encoded in the route value); an alias finds the model too.
/// </summary>
public sealed class ModelPageModel(ModelSheets sheets, LiveFigures figures, ModelCatalog catalog) : PageModel
{
    public ModelSheet? Sheet { get; private set; }

    public ModelFigures Figures { get; private set; } = LiveFigures.None("");

    public string BaseUrl => ApiExamples.BaseUrl(Request);

    public IReadOnlyList<string> OtherNames(VoiceInfo voice) => catalog.OtherNamesOf(voice);

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        Sheet = id is null ? null : sheets.Find(id);
        if (Sheet is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page(); // the page says there is no such model, in HTML, with the console's headers
        }
        if (!string.Equals(Request.Path.Value, Sheet.Path, StringComparison.Ordinal))
        {
            return Redirect(Sheet.Path); // one address per model: an alias or an encoded slash leads to the id's
        }
        IReadOnlyDictionary<string, ModelFigures> all = await figures.ByModelAsync(cancellationToken);
        Figures = all.GetValueOrDefault(Sheet.Id, LiveFigures.None(Sheet.Id));
        return Page();
    }
}
