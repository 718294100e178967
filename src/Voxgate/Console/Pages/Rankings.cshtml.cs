using Microsoft.AspNetCore.Mvc.RazorPages;
using Voxgate.Gateway.Usage;

namespace Voxgate.WebConsole.Pages;

/// <summary>Models ranked by characters and requests over 24 hours, 7 or 30 days, from <see cref="UsageReports"/>.</summary>
public sealed class RankingsModel(UsageReports reports, ModelSheets sheets) : PageModel
{
    public static IReadOnlyList<(string Key, string Label)> Windows { get; } = [("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days")];

    public sealed record Row(string Model, string Name, string? Path, long Characters, int Requests, int Failed, long Refused);

    public string Window { get; private set; } = "7d";

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>The bar chart, an SVG written here from numbers only (every label escaped).</summary>
    public string Chart { get; private set; } = "";

    public async Task OnGetAsync(string? window, CancellationToken cancellationToken)
    {
        Window = Windows.Any(w => w.Key == window) ? window! : "7d";
        int days = Window switch { "24h" => 1, "30d" => 30, _ => 7 };
        IReadOnlyList<ModelRanking> ranking = await reports.RankModelsAsync(days, cancellationToken);
        Rows = [.. ranking.Select(r => sheets.Find(r.Model) is { } sheet
            ? new Row(r.Model, sheet.Name, sheet.Path, r.Characters, r.Requests, r.Failed, r.Refused)
            : new Row(r.Model, r.Model, null, r.Characters, r.Requests, r.Failed, r.Refused))];
        Chart = BarChart.Render(Rows.Select(r => (r.Name, r.Characters, (long)r.Requests)).ToList(), "Characters", "Requests");
    }
}
