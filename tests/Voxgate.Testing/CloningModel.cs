using System.Text.Json;
using Voxgate.Speech.Models;

namespace Voxgate.Tests.Support;

/// <summary>
/// The tiny Pocket TTS cloning model (<see cref="NeuralModels.PocketTts"/>) installed in a data directory before the
/// server starts, as <c>voxgate models add</c> would leave it. Its output is as loud as the reference recording's RMS,
/// so a test can hear which recording a request reached the engine with.
/// </summary>
public static class CloningModel
{
    public const string Id = "pocket-test";

    public static void Install(string dataDirectory)
    {
        string directory = NeuralModels.PocketTts(Path.Combine(dataDirectory, "models", Id));
        ModelLayout.Describe(directory, Id, new KnownModel { Id = Id, Engine = Id, Url = "file:///" }, directory).Save(directory);
    }
}

/// <summary>The real <c>voxgate serve</c> process with the tiny cloning model installed in its data directory.</summary>
public sealed class CloningServerProcess : ServerProcess
{
    protected override Task PrepareDataAsync(string dataDirectory)
    {
        CloningModel.Install(dataDirectory);
        return Task.CompletedTask;
    }

    /// <summary>Waits until the server says (in <c>readyz</c>) that it verified and loaded the cloning model.</summary>
    public async Task WaitForModelAsync()
    {
        using HttpClient http = Client();
        string last = "";
        await Eventually.HoldsAsync(async () =>
        {
            using HttpResponseMessage ready = await http.GetAsync("readyz");
            JsonElement body = await ready.JsonAsync();
            last = body.GetProperty("neural_models").ToString();
            return body.GetProperty("neural_models").EnumerateArray()
                .Any(m => m.GetProperty("id").GetString() == CloningModel.Id && m.GetProperty("status").GetString() == "loaded");
        }, "the cloning model is verified and loaded", TimeSpan.FromSeconds(120), () => last);
    }
}
