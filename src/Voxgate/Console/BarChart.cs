using System.Globalization;
using System.Net;
using System.Text;

namespace Voxgate.WebConsole;

/// <summary>
/// A horizontal bar chart as inline SVG, drawn on the server: two bars per item (a primary and a secondary figure,
/// each scaled to its own largest value). Only attributes, no <c>style</c>, so the page's strict policy holds.
/// </summary>
public static class BarChart
{
    private const int Width = 960;
    private const int LabelWidth = 240;
    private const int BarHeight = 12;
    private const int RowHeight = 36;

    public static string Render(IReadOnlyList<(string Label, long Primary, long Secondary)> items, string primaryName, string secondaryName)
    {
        long maxPrimary = Math.Max(1, items.Select(i => i.Primary).DefaultIfEmpty().Max());
        long maxSecondary = Math.Max(1, items.Select(i => i.Secondary).DefaultIfEmpty().Max());
        int height = items.Count * RowHeight + 30;
        int span = Width - LabelWidth - 120;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Width} {height}" role="img" aria-label="{Escape(primaryName)} and {Escape(secondaryName)} per model">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect class="bar" x="{LabelWidth}" y="6" width="10" height="10"/><text x="{LabelWidth + 14}" y="15">{Escape(primaryName)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect class="bar requests" x="{LabelWidth + 120}" y="6" width="10" height="10"/><text x="{LabelWidth + 134}" y="15">{Escape(secondaryName)}</text>""");
        for (int i = 0; i < items.Count; i++)
        {
            (string label, long primary, long secondary) = items[i];
            int y = 30 + i * RowHeight;
            int primaryWidth = (int)Math.Round((double)primary / maxPrimary * span);
            int secondaryWidth = (int)Math.Round((double)secondary / maxSecondary * span);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="{y + 16}">{Escape(label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="bar" x="{LabelWidth}" y="{y}" width="{Math.Max(1, primaryWidth)}" height="{BarHeight}"><title>{Escape(label)}: {primary:N0} {Escape(primaryName.ToLowerInvariant())}</title></rect>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth + primaryWidth + 6}" y="{y + 10}">{primary:N0}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="bar requests" x="{LabelWidth}" y="{y + BarHeight + 2}" width="{Math.Max(1, secondaryWidth)}" height="{BarHeight}"><title>{Escape(label)}: {secondary:N0} {Escape(secondaryName.ToLowerInvariant())}</title></rect>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth + secondaryWidth + 6}" y="{y + BarHeight + 12}">{secondary:N0}</text>""");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
