using System.Diagnostics;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Models;
using Voxgate.Speech.Native;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

public sealed class ModelFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("voxgate-model-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void OnnxMetadataIsReadWithoutLoadingTheModel()
    {
        string path = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(path, OnnxModelWriter.Kokoro(["af_a", "bm_b"], maxTokens: 32, styleSize: 4));
        IReadOnlyDictionary<string, string> metadata = OnnxMetadata.Read(path);
        Assert.Equal(("kokoro", "2", "af_a,bm_b", "32,1,4"), (metadata["model_type"], metadata["n_speakers"], metadata["speaker_names"], metadata["style_dim"]));

        File.WriteAllBytes(path, [0x0A, 0xFF, 0x01, 0x02]); // a length running past the end
        Assert.Throws<InvalidDataException>(() => OnnxMetadata.Read(path));
        File.WriteAllText(path, "not a model at all");
        Assert.Throws<InvalidDataException>(() => OnnxMetadata.Read(path));
    }

    [Fact]
    public void TheLayoutOfAModelFolderBecomesItsManifest()
    {
        string kokoro = NeuralModels.WriteKokoro(Path.Combine(_directory, "k"));
        ModelManifest manifest = ModelLayout.Describe(kokoro, "k", null, "test");
        Assert.Equal((ModelKind.Kokoro, "k", 24000, "voices.bin", "tokens.txt"),
            (manifest.Kind, manifest.Engine, manifest.SampleRate, manifest.Files.Voices, manifest.Files.Tokens));
        Assert.Equal(
            [new ModelSpeaker(0, "af_alloy", "en-us", VoiceGender.Female), new ModelSpeaker(1, "af_heart", "en-us", VoiceGender.Female),
             new ModelSpeaker(2, "am_echo", "en-us", VoiceGender.Male), new ModelSpeaker(3, "bf_emma", "en-gb", VoiceGender.Female)],
            manifest.Speakers);

        string piper = NeuralModels.WritePiper(Path.Combine(_directory, "p"));
        ModelManifest voice = ModelLayout.Describe(piper, "p", new KnownModel { Id = "p", Engine = "piper-p", Url = "x", Voice = "thorsten", Gender = VoiceGender.Male }, null);
        Assert.Equal((ModelKind.Vits, "piper-p", 22050), (voice.Kind, voice.Engine, voice.SampleRate));
        Assert.Equal([new ModelSpeaker(0, "thorsten", "en-us", VoiceGender.Male)], voice.Speakers);

        File.Delete(Path.Combine(kokoro, "voices.bin"));
        Assert.Contains("voices.bin", Assert.Throws<InvalidDataException>(() => ModelLayout.Describe(kokoro, "k", null, null)).Message);
    }

    [Fact]
    public void AChangedModelIsUnverifiedAgain()
    {
        var store = new ModelStore(Options.Create(new ModelOptions { Directory = _directory }));
        string folder = NeuralModels.WritePiper(Path.Combine(_directory, "voice"));
        ModelLayout.Describe(folder, "voice", null, null).Save(folder);
        Assert.Equal(ModelHealth.Unverified, store.Get("voice").Health);
        store.MarkVerified("voice");
        Assert.Equal(ModelHealth.Verified, store.Get("voice").Health);

        File.AppendAllText(Path.Combine(folder, "tokens.txt"), "ʘ 999\n");
        Assert.Equal(ModelHealth.Unverified, store.Get("voice").Health);
        store.MarkBroken("voice", "it crashed");
        Assert.Equal((ModelHealth.Broken, "it crashed"), (store.Get("voice").Health, store.Get("voice").Problem));
        Assert.Null(store.Find("../etc"));
    }

    [Fact]
    public async Task Bzip2ReadsConcatenatedStreamsAndRefusesATruncatedOne()
    {
        byte[] first = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 251))], second = "and a second stream"u8.ToArray();
        byte[] archive = [.. await CompressAsync(first), .. await CompressAsync(second)]; // as parallel compressors write

        using (var stream = new Bzip2.DecompressingStream(new MemoryStream(archive)))
        using (var output = new MemoryStream())
        {
            await stream.CopyToAsync(output);
            Assert.Equal([.. first, .. second], output.ToArray());
        }
        using var truncated = new Bzip2.DecompressingStream(new MemoryStream(archive[..(archive.Length / 3)]));
        await Assert.ThrowsAsync<InvalidDataException>(() => truncated.CopyToAsync(Stream.Null));
    }

    [Theory]
    [InlineData("af_bella(2)+af_sky(1)", "af_bella:2,af_sky:1")]
    [InlineData("af_bella + af_sky", "af_bella:1,af_sky:1")]
    [InlineData("kokoro:af_bella(0.5)", "kokoro:af_bella:0.5")]
    public void TheVoiceFieldCarriesBlends(string field, string expected)
    {
        Assert.True(VoiceBlend.TryParse(field, "voice", out IReadOnlyList<VoiceWeight> mix));
        Assert.Equal(expected, string.Join(",", mix.Select(m => $"{m.Voice}:{m.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
        Assert.False(VoiceBlend.TryParse("alloy", "voice", out _));
        Assert.Equal("voice", Assert.Throws<SpeechRequestException>(() => VoiceBlend.TryParse("af_bella(x)+", "voice", out _)).Parameter);
    }

    private async Task<byte[]> CompressAsync(byte[] data)
    {
        string path = Path.Combine(_directory, $"{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, data);
        using Process bzip2 = Process.Start("bzip2", ["-k", path])!;
        await bzip2.WaitForExitAsync();
        return await File.ReadAllBytesAsync(path + ".bz2");
    }
}
