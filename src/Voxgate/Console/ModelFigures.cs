using Voxgate.Gateway.Usage;

namespace Voxgate.WebConsole;

/// <summary>
/// The live figures the pages show, per catalog model, from <see cref="UsageReports.ModelFiguresAsync"/>: the usage
/// rows, which carry the same measurements as <c>/metrics</c>. A figure with nothing to compute it from is null, and
/// the pages say so rather than show a zero.
/// </summary>
public sealed class LiveFigures(UsageReports reports)
{
    /// <summary>The window the model pages and /compare show.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    public static ModelFigures None(string model) => new(model, 0, 0, 0, 0, 0, 0, null, null);

    /// <summary>Figures per model id over the last <see cref="Window"/>; models without usage are absent.</summary>
    public async Task<IReadOnlyDictionary<string, ModelFigures>> ByModelAsync(CancellationToken cancellationToken) =>
        (await reports.ModelFiguresAsync(Window, cancellationToken)).ToDictionary(f => f.Model, StringComparer.OrdinalIgnoreCase);
}
