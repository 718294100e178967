using Voxgate.Speech.Engines;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>
/// The playground: a form the script <c>playground.js</c> sends to <see cref="PlaygroundEndpoint"/> and whose answer
/// it plays as it arrives. The models and their voices are <see cref="ModelSheets"/>' (what the server serves now).
/// </summary>
public sealed class PlaygroundModel(ModelSheets sheets) : DashboardPage
{
    public IReadOnlyList<ModelSheet> Models { get; private set; } = [];

    public IReadOnlyList<(string Model, VoiceInfo Voice)> Voices { get; private set; } = [];

    public IReadOnlyList<string> Languages { get; private set; } = [];

    public void OnGet()
    {
        Models = [.. sheets.All().Where(s => s.Available)];
        Voices = [.. Models.SelectMany(m => m.Voices.Select(v => (m.Id, v)))];
        Languages = [.. Voices.Select(v => v.Voice.Language).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
    }
}
