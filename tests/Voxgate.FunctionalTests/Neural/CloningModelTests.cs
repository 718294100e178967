using Microsoft.Extensions.DependencyInjection;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

/// <summary>
/// The cloning models as the server runs them: installed from release-style archives through the installer, verified
/// in a child process (with a reference recording of its own), listed as cloning voices, and planned only with a
/// reference (and, for ZipVoice, its transcript).
/// </summary>
public sealed class CloningModelTests(VoxgateFactory factory) : IClassFixture<VoxgateFactory>
{
    private const string ZipVoiceId = "zipvoice-clone-test";
    private const string PocketId = "pocket-clone-test";

    private static readonly VoiceReference Reference = new("voice-1", NeuralModels.ReferenceTone(0.3f, 16000), 16000, "A voice says this.");

    private T Service<T>() where T : notnull => factory.Services.GetRequiredService<T>();

    /// <summary>Installs both models from .tar.bz2 archives (as <c>voxgate models add</c> does) and loads them, once per server.</summary>
    private async Task InstallAsync()
    {
        ModelInstaller installer = Service<ModelInstaller>();
        if (Service<ModelStore>().Find(ZipVoiceId) is null)
        {
            string work = Path.Combine(factory.DataDirectory, "incoming");
            foreach ((string id, Func<string, string> write) in new (string, Func<string, string>)[] { (ZipVoiceId, NeuralModels.ZipVoice), (PocketId, NeuralModels.PocketTts) })
            {
                string archive = Path.Combine(work, id + ".tar.bz2");
                await File.WriteAllBytesAsync(archive, await NeuralModels.TarBz2Async(write(Path.Combine(work, id))));
                InstalledModel installed = await installer.AddAsync(archive, null, replace: false, CancellationToken.None);
                Assert.Equal(id, installed.Manifest.Id);
            }
        }
        IReadOnlyList<ModelStatus> status = await Service<SherpaModels>().ReloadAsync(CancellationToken.None);
        Assert.All(status.Where(s => s.Id is ZipVoiceId or PocketId), s => Assert.True(s.Status == "loaded", $"{s.Id}: {s.Status} {s.Problem}"));
    }

    [Fact]
    public async Task InstalledCloningModelsAreVerifiedLoadedAndListedAsCloningVoices()
    {
        await InstallAsync();
        ModelStore store = Service<ModelStore>();
        Assert.Equal((ModelKind.ZipVoice, ModelHealth.Verified), (store.Get(ZipVoiceId).Manifest.Kind, store.Get(ZipVoiceId).Health));
        Assert.Equal((ModelKind.PocketTts, ModelHealth.Verified), (store.Get(PocketId).Manifest.Kind, store.Get(PocketId).Health));
        Assert.Equal(["lexicon.txt"], store.Get(ZipVoiceId).Manifest.Files.Lexicons);

        SpeechEngineRegistry registry = Service<SpeechEngineRegistry>();
        List<string> cloning = [.. registry.CloningVoices.Select(v => v.Id)];
        Assert.Contains($"{ZipVoiceId}:clone", cloning);
        Assert.Contains($"{PocketId}:clone", cloning);
        Assert.DoesNotContain(cloning, id => id.StartsWith("flite:", StringComparison.Ordinal));
        Assert.True(registry.TryGetVoice(ZipVoiceId, out VoiceInfo byEngineName, out ISpeechEngine engine)); // the engine name is an alias
        Assert.Equal($"{ZipVoiceId}:clone", byEngineName.Id);
        Assert.True(Assert.IsAssignableFrom<IVoiceCloning>(engine).NeedsTranscript);
        Assert.True(registry.TryGetVoice($"{PocketId}:clone", out _, out ISpeechEngine pocket));
        Assert.False(Assert.IsAssignableFrom<IVoiceCloning>(pocket).NeedsTranscript);
    }

    [Fact]
    public async Task ThePlannerRefusesACloningVoiceWithoutAReferenceAndZipVoiceWithoutItsTranscript()
    {
        await InstallAsync();
        SpeechPlanner planner = Service<SpeechPlanner>();
        var request = new SpeechRequest { Model = "tts-1", Input = "Hello there.", Voice = $"{ZipVoiceId}:clone" };

        var noReference = Assert.Throws<SpeechRequestException>(() => planner.Plan(request));
        Assert.Equal(("voice", SpeechErrorKind.InvalidParameter), (noReference.Parameter, noReference.Kind));
        Assert.Contains("imitates a recording", noReference.Message);
        Assert.Throws<SpeechRequestException>(() => planner.Plan(request with { Voice = $"{PocketId}:clone" }));

        var noTranscript = Assert.Throws<SpeechRequestException>(() => planner.Plan(request with { Reference = Reference with { Transcript = null } }));
        Assert.Equal("voice", noTranscript.Parameter);
        Assert.Contains("transcript", noTranscript.Message);

        // Pocket TTS takes the recording alone.
        Assert.Equal($"{PocketId}:clone", planner.Plan(request with { Voice = $"{PocketId}:clone", Reference = Reference with { Transcript = null } }).Voice.Id);
        // A cloned voice is the caller's own speaker: a language switch keeps it (the model reads what it can).
        SpeechPlan chinese = planner.Plan(request with { Input = "你好。", Language = "auto", Reference = Reference });
        Assert.Equal($"{ZipVoiceId}:clone", chinese.Voice.Id);
    }

    [Theory]
    [InlineData(ZipVoiceId)]
    [InlineData(PocketId)]
    public async Task AClonedVoiceSpeaksThroughThePipeline(string id)
    {
        await InstallAsync();
        var request = new SpeechRequest
        {
            Model = "tts-1", Input = "The river kept flowing. The village slept.", Voice = $"{id}:clone", Format = AudioFormat.Wav, Reference = Reference,
        };
        SpeechPlan plan = Service<SpeechPlanner>().Plan(request);
        using var audio = new MemoryStream();
        SpeechSummary summary = await SpeechStreamWriter.WriteAsync(Service<SpeechPipeline>().RunAsync(plan, CancellationToken.None), audio, null, CancellationToken.None);
        Assert.True(summary.AudioDuration > TimeSpan.FromSeconds(0.5), $"{summary.AudioDuration}");
        Assert.True(audio.Length > 44);
    }
}
