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

    /// <summary>Crafted files, each with what the refusal must say: an empty graph (field 7) makes the rest an ONNX model.</summary>
    public static TheoryData<string, byte[], string> MalformedModels()
    {
        byte[] graph = [0x3A, 0x00];
        static byte[] Entry(byte[] content) => [0x72, .. OnnxModelWriter.Varint((ulong)content.Length), .. content]; // metadata_props (14)
        byte[] tenBytes = [.. Enumerable.Repeat((byte)0x80, 9)];
        return new TheoryData<string, byte[], string>
        {
            { "a metadata key of 2^62 bytes", [.. graph, .. Entry([0x0A, .. OnnxModelWriter.Varint(1UL << 62)])], "runs past the end" },
            { "a metadata key longer than its entry", [.. graph, .. Entry([0x0A, 0x7F, (byte)'a'])], "runs past the end" },
            { "a graph of 2^63 bytes", [0x3A, .. OnnxModelWriter.Varint(1UL << 63)], "runs past the end" },
            { "a graph of 2^64 - 1 bytes", [0x3A, .. OnnxModelWriter.Varint(ulong.MaxValue)], "runs past the end" },
            { "a varint of eleven bytes", [0x08, .. tenBytes, 0x80, 0x01, .. graph], "longer than 64 bits" },
            { "a ten-byte varint with bits beyond the 64th", [0x08, .. tenBytes, 0x02, .. graph], "longer than 64 bits" },
            { "a field number beyond an int's range, whose low bits say graph", [.. OnnxModelWriter.Varint((((1UL << 32) + 7) << 3) | 2), 0x00], "field number" },
            { "a varint cut short", [.. graph, 0x08, 0x80], "cut short" },
            { "a fixed64 cut short", [.. graph, 0x09, 0x01, 0x02, 0x03], "cut short" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedModels))]
    public void AMalformedOnnxFileIsRefusedNamingTheFile(string what, byte[] bytes, string reason)
    {
        string path = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(path, bytes);
        InvalidDataException refusal = Assert.Throws<InvalidDataException>(() => OnnxMetadata.Read(path));
        Assert.True(refusal.Message.StartsWith("'model.onnx' is not a well-formed ONNX model: ", StringComparison.Ordinal) && refusal.Message.Contains(reason, StringComparison.Ordinal),
            $"{what}: {refusal.Message}");
    }

    [Fact]
    public void EveryTruncationAndCorruptionOfAModelReadsOrIsRefused()
    {
        byte[] model = OnnxModelWriter.Kokoro(["af_a", "bm_b"], maxTokens: 32, styleSize: 4);
        string path = Path.Combine(_directory, "model.onnx");
        void ReadsOrIsRefused(byte[] bytes, string what)
        {
            File.WriteAllBytes(path, bytes);
            try
            {
                OnnxMetadata.Read(path);
            }
            catch (InvalidDataException refusal)
            {
                Assert.True(refusal.Message.StartsWith("'model.onnx' is not", StringComparison.Ordinal), $"{what}: {refusal.Message}");
            }
            catch (Exception other)
            {
                Assert.Fail($"{what}: {other}");
            }
        }
        for (int length = 0; length < model.Length; length++)
        {
            ReadsOrIsRefused(model[..length], $"the first {length} bytes");
        }
        var random = new Random(20_251_001);
        for (int i = 0; i < 500; i++)
        {
            byte[] corrupted = [.. model];
            int at = random.Next(corrupted.Length);
            corrupted[at] = (byte)random.Next(256);
            ReadsOrIsRefused(corrupted, $"byte {at} set to {corrupted[at]}");
        }
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

        File.WriteAllBytes(Path.Combine(piper, "model.onnx"), OnnxModelWriter.Piper(speakers: int.MaxValue)); // named one by one, they would never fit in memory
        Assert.StartsWith("'model.onnx' says it has", Assert.Throws<InvalidDataException>(() => ModelLayout.Describe(piper, "p", null, null)).Message);
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
