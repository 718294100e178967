using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

/// <summary>
/// The Kokoro-shaped test model loaded directly, keeping a single blend loaded while several generations run at once:
/// every new blend pushes out one that another generation is still speaking with.
/// </summary>
public sealed class BlendHandleTests : IDisposable
{
    private const int Blends = 8;

    /// <summary>Long enough to be spoken in several pieces (several calls into sherpa-onnx on the same handle).</summary>
    private static readonly string Text = string.Join(" ", Enumerable.Repeat("The river kept on flowing past the quiet village, and nobody minded it.", 100));

    private readonly string _models = Directory.CreateTempSubdirectory("voxgate-blend-handles-").FullName;
    private readonly BlendingSherpaEngine _engine;

    public BlendHandleTests()
    {
        // An id of its own: blend files live in a folder named after the process and the model, shared with other tests' engines.
        const string id = "kokoro-blend-handles";
        string folder = NeuralModels.WriteKokoro(Path.Combine(_models, id));
        ModelLayout.Describe(folder, id, null, null).Save(folder);
        var options = new ModelOptions { Directory = _models, MaxBlendHandles = 1, MaxConcurrentPerModel = 3 };
        _engine = (BlendingSherpaEngine)SherpaEngine.Load(new ModelStore(Options.Create(options)).Get(id), options);
    }

    public void Dispose()
    {
        _engine.Dispose();
        Directory.Delete(_models, recursive: true);
    }

    [Fact]
    public async Task ABlendPushedOutWhileGenerationsUseItSpeaksToTheEndAndIsFreedAfterwards()
    {
        // af_alloy (0.1) and am_echo (0.4) in eight proportions, each asked for twice: sixteen requests, three at a time.
        // Each is started (up to its first wait) before the next is asked for, so every new blend pushes out one that a
        // generation started earlier is still speaking with, or is about to.
        Task<(int Samples, float Peak)>[] requests = [.. Enumerable.Range(0, 2 * Blends).Select(i => SpeakAsync(1 + i % Blends))];
        (int Samples, float Peak)[] results = await Task.WhenAll(requests);

        for (int i = 0; i < results.Length; i++)
        {
            double expected = Amplitude(1 + i % Blends);
            Assert.True(Math.Abs(results[i].Peak - expected) < 0.01, $"request {i}: peak {results[i].Peak:0.000}, expected the blend's {expected:0.000}");
        }
        Assert.All(results, r => Assert.Equal(results[0].Samples, r.Samples));
        Assert.Equal(1, _engine.BlendHandlesOpen); // the pushed-out blends were freed when their generations ended

        // Readers that go away after the first chunk, and requests cancelled then: their generations stop on their own
        // and give the handles back when they do. Disposing the engine waits for them, then lets go of the loaded blend.
        Task[] abandoned = [.. Enumerable.Range(1, 3).Select(async alloy =>
        {
            await foreach (PcmChunk chunk in _engine.SynthesizeAsync(BlendRequest(alloy), CancellationToken.None))
            {
                break;
            }
        })];
        Task[] cancelled = [.. Enumerable.Range(4, 3).Select(alloy => Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            using var cancellation = new CancellationTokenSource();
            await foreach (PcmChunk chunk in _engine.SynthesizeAsync(BlendRequest(alloy), cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        }))];
        await Task.WhenAll([.. abandoned, .. cancelled]);
        _engine.Dispose();
        Assert.Equal(0, _engine.BlendHandlesOpen);
    }

    /// <summary>af_alloy with weight <paramref name="alloy"/> (1 to <see cref="Blends"/>), am_echo with the rest of <see cref="Blends"/> + 1.</summary>
    private EngineRequest BlendRequest(int alloy)
    {
        VoiceInfo first = _engine.Voices.Single(v => v.Name == "af_alloy"), second = _engine.Voices.Single(v => v.Name == "am_echo");
        return new EngineRequest(Text, first, Mix: [(first, alloy), (second, Blends + 1 - alloy)]);
    }

    private static double Amplitude(int alloy) =>
        (alloy * NeuralModels.KokoroAmplitudes[0] + (Blends + 1 - alloy) * NeuralModels.KokoroAmplitudes[2]) / (Blends + 1);

    private async Task<(int Samples, float Peak)> SpeakAsync(int alloy)
    {
        int samples = 0;
        float peak = 0;
        await foreach (PcmChunk chunk in _engine.SynthesizeAsync(BlendRequest(alloy), CancellationToken.None))
        {
            samples += chunk.Samples.Length;
            foreach (float sample in chunk.Samples)
            {
                peak = Math.Max(peak, Math.Abs(sample));
            }
        }
        return (samples, peak);
    }
}
