using Voxgate.Gateway.Usage;

namespace Voxgate.WebConsole;

/// <summary>
/// A model's live figures over a recent window, from usage. A figure the usage rows cannot give yet is null, and
/// the page says it has not been measured rather than showing a zero.
/// </summary>
/// <param name="Requests">Requests that delivered audio.</param>
/// <param name="SuccessRate">Requests that delivered audio over the requests let in (failures included, refusals not); null without requests.</param>
/// <param name="MedianTimeToFirstByteMs">Median time from the request to its first audio byte.</param>
/// <param name="CharactersPerSecond">Characters spoken per second of audio produced.</param>
public sealed record ModelFigures(int Requests, long Characters, double? SuccessRate, double? MedianTimeToFirstByteMs, double? CharactersPerSecond)
{
    public static ModelFigures None { get; } = new(0, 0, null, null, null);
}

/// <summary>Where the console reads live figures; one implementation reads usage.</summary>
public interface IModelFigures
{
    /// <summary>Figures per catalog model id over the last <paramref name="window"/>; models without usage are absent.</summary>
    Task<IReadOnlyDictionary<string, ModelFigures>> ForModelsAsync(TimeSpan window, CancellationToken cancellationToken);
}

/// <summary>Figures from the usage ranking (<see cref="UsageReports"/>), the same numbers the admin API reports.</summary>
public sealed class UsageModelFigures(UsageReports reports) : IModelFigures
{
    public async Task<IReadOnlyDictionary<string, ModelFigures>> ForModelsAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelRanking> ranking = await reports.RankModelsAsync(Math.Max(1, (int)Math.Ceiling(window.TotalDays)), cancellationToken);
        return ranking.ToDictionary(r => r.Model, r => new ModelFigures(
            r.Requests, r.Characters,
            r.Requests + r.Failed == 0 ? null : (double)r.Requests / (r.Requests + r.Failed),
            null, null), StringComparer.OrdinalIgnoreCase);
    }
}
