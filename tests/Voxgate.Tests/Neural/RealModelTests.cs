using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;

namespace Voxgate.Tests.Neural;

/// <summary>
/// A test that needs real neural models: it runs when <c>VOXGATE_TEST_MODELS</c> names a data directory whose
/// models are installed (<c>voxgate models pull ... --data DIR</c> on a machine with internet), and is reported as
/// skipped, saying so, otherwise.
/// </summary>
public sealed class RealModelFactAttribute : FactAttribute
{
    public const string Variable = "VOXGATE_TEST_MODELS";

    public RealModelFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"Skipped: no real neural models here. Set {Variable} to a data directory with installed models (voxgate models pull ... --data DIR) to run it.";
        }
    }
}

public class RealModelTests
{
    [RealModelFact]
    public async Task EveryInstalledRealModelSpeaksASentenceAtAPlausibleLength()
    {
        string data = Environment.GetEnvironmentVariable(RealModelFactAttribute.Variable)!;
        var store = new ModelStore(Options.Create(new ModelOptions { Directory = Path.Combine(data, "models") }));
        IReadOnlyList<InstalledModel> models = [.. store.List().Where(m => m.Health != ModelHealth.Broken)];
        Assert.NotEmpty(models);
        foreach (InstalledModel model in models)
        {
            using SherpaEngine engine = SherpaEngine.Load(model, new ModelOptions());
            var samples = new List<float>();
            await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest("The quick brown fox jumps over the lazy dog.", engine.Voices[0]), CancellationToken.None))
            {
                samples.AddRange(chunk.Samples);
            }
            double seconds = samples.Count / (double)engine.SampleRate;
            double rms = Math.Sqrt(samples.Average(s => s * s));
            Assert.True(seconds is > 1 and < 8, $"{model.Manifest.Id}: {seconds:0.00} s for a 44-character sentence");
            Assert.True(rms > 0.01, $"{model.Manifest.Id}: the audio is nearly silent (RMS {rms:0.0000})");
        }
    }
}
