using System.Globalization;
using Voxgate.Gateway.Usage;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>The account's usage by day and model (<see cref="UsageReports.ByDayAsync"/>, as <c>GET /v1/usage</c>), with a chart by day.</summary>
public sealed class UsageModel(UsageReports reports) : DashboardPage
{
    public static IReadOnlyList<int> Windows { get; } = [7, 30, 90];

    public int Days { get; private set; } = 30;

    public UsageReport Report { get; private set; } = null!;

    /// <summary>The SVG bar chart (<see cref="BarChart"/>: numbers and escaped labels only).</summary>
    public string Chart { get; private set; } = "";

    public async Task OnGetAsync(int? days, CancellationToken cancellationToken)
    {
        Days = days is int asked && Windows.Contains(asked) ? asked : 30;
        Report = await reports.ByDayAsync(AccountId, Days, cancellationToken);
        Chart = BarChart.Render([.. Report.Days.GroupBy(d => d.Day).OrderBy(g => g.Key)
            .Select(g => (g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Sum(d => d.Characters), (long)g.Sum(d => d.Requests)))],
            "Characters", "Requests");
    }
}
