using System.Diagnostics;
using System.Text;

namespace Voxgate.Tests.Support;

/// <summary>
/// Model folders and archives made from <see cref="OnnxModelWriter"/>'s tiny models: a Kokoro-shaped model whose
/// speakers are heard as tones of different loudness, a Piper-shaped voice, and a corrupted copy that sherpa-onnx
/// cannot load (it aborts the process that tries).
/// </summary>
public static class NeuralModels
{
    /// <summary>The Kokoro test model's speakers, named as Kokoro names them (accent, gender, name).</summary>
    public static readonly string[] KokoroSpeakers = ["af_alloy", "af_heart", "am_echo", "bf_emma"];

    /// <summary>Each speaker's tone amplitude, the first value of its style vector.</summary>
    public static readonly float[] KokoroAmplitudes = [0.1f, 0.2f, 0.4f, 0.6f];

    public static string WriteKokoro(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), OnnxModelWriter.Kokoro(KokoroSpeakers));
        File.WriteAllBytes(Path.Combine(directory, "voices.bin"), OnnxModelWriter.KokoroVoices(KokoroAmplitudes));
        File.WriteAllText(Path.Combine(directory, "tokens.txt"), OnnxModelWriter.Tokens());
        return directory;
    }

    /// <summary>The Kitten test model's speakers, named as KittenTTS names them, and their tone amplitudes.</summary>
    public static readonly string[] KittenSpeakers = ["expr-voice-2-f", "expr-voice-3-m"];

    public static readonly float[] KittenAmplitudes = [0.15f, 0.45f];

    public static string WriteKitten(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), OnnxModelWriter.Kitten(KittenSpeakers));
        // One style vector per speaker (style_dim 1,8), each filled with its amplitude.
        File.WriteAllBytes(Path.Combine(directory, "voices.bin"), [.. KittenAmplitudes.SelectMany(a => Enumerable.Repeat(a, 8)).SelectMany(BitConverter.GetBytes)]);
        File.WriteAllText(Path.Combine(directory, "tokens.txt"), OnnxModelWriter.Tokens());
        return directory;
    }

    /// <summary>A Matcha model: the acoustic model and its vocoder, as the release archive and the vocoder download leave them.</summary>
    public static string WriteMatcha(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model-steps-3.onnx"), OnnxModelWriter.MatchaAcoustic());
        File.WriteAllBytes(Path.Combine(directory, "vocos-22khz-univ.onnx"), OnnxModelWriter.HifiganVocoder());
        File.WriteAllText(Path.Combine(directory, "tokens.txt"), OnnxModelWriter.Tokens());
        return directory;
    }

    public static string WritePiper(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), OnnxModelWriter.Piper());
        File.WriteAllText(Path.Combine(directory, "tokens.txt"), OnnxModelWriter.Tokens());
        return directory;
    }

    /// <summary>
    /// A ZipVoice cloning model laid out as sherpa-onnx's release archive (encoder.onnx, decoder.onnx, tokens.txt,
    /// lexicon.txt) plus
    /// the Vocos vocoder <c>models pull</c> fetches beside it (vocos_24khz.onnx); English is phonemised with Debian's
    /// espeak-ng-data. It installs as a <see cref="Voxgate.Speech.Models.ModelKind.ZipVoice"/> model whose one voice is
    /// <c>&lt;id&gt;:clone</c> (<c>IVoiceCloning.NeedsTranscript</c> true), and speaks a 445 Hz tone at 24 kHz, four
    /// mel frames (1024 samples) per phoneme, whose loudness follows the reference recording's: a reference twice as
    /// loud gives audio twice as loud (sherpa-onnx normalises references quieter than RMS 0.1 and scales the result back).
    /// </summary>
    /// <returns><paramref name="directory"/>, for installing with <c>ModelInstaller.AddAsync</c> or <see cref="TarBz2Async"/>.</returns>
    public static string ZipVoice(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "encoder.onnx"), OnnxModelWriter.ZipVoiceEncoder());
        File.WriteAllBytes(Path.Combine(directory, "decoder.onnx"), OnnxModelWriter.ZipVoiceDecoder());
        File.WriteAllBytes(Path.Combine(directory, "vocos_24khz.onnx"), OnnxModelWriter.VocosVocoder());
        File.WriteAllText(Path.Combine(directory, "tokens.txt"), OnnxModelWriter.Tokens());
        // sherpa-onnx 1.13.8 ends the process when a ZipVoice model has no lexicon; words it lacks are read with eSpeak NG.
        File.WriteAllText(Path.Combine(directory, "lexicon.txt"), "你 n i\n好 h a o\n");
        return directory;
    }

    /// <summary>
    /// A Pocket TTS cloning model laid out as sherpa-onnx's release archive (lm_flow, lm_main, encoder, decoder,
    /// text_conditioner .onnx, vocab.json, token_scores.json). It installs as a
    /// <see cref="Voxgate.Speech.Models.ModelKind.PocketTts"/> model whose one voice is <c>&lt;id&gt;:clone</c>
    /// (no transcript needed), and speaks a 440 Hz tone at 24 kHz as loud as the reference recording's RMS, one latent
    /// frame (1920 samples) per SentencePiece token of each sentence plus three.
    /// </summary>
    /// <returns><paramref name="directory"/>.</returns>
    public static string PocketTts(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "lm_flow.onnx"), OnnxModelWriter.PocketLmFlow());
        File.WriteAllBytes(Path.Combine(directory, "lm_main.onnx"), OnnxModelWriter.PocketLmMain());
        File.WriteAllBytes(Path.Combine(directory, "encoder.onnx"), OnnxModelWriter.PocketEncoder());
        File.WriteAllBytes(Path.Combine(directory, "decoder.onnx"), OnnxModelWriter.PocketDecoder());
        File.WriteAllBytes(Path.Combine(directory, "text_conditioner.onnx"), OnnxModelWriter.PocketTextConditioner());
        (string vocab, string scores) = OnnxModelWriter.PocketVocabulary();
        File.WriteAllText(Path.Combine(directory, "vocab.json"), vocab);
        File.WriteAllText(Path.Combine(directory, "token_scores.json"), scores);
        return directory;
    }

    /// <summary>A reference recording for the cloning models: <paramref name="seconds"/> of a tone of the given peak amplitude and pitch.</summary>
    public static float[] ReferenceTone(float amplitude, int sampleRate = 24000, double seconds = 2, double frequency = 220)
    {
        float[] samples = new float[(int)(seconds * sampleRate)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return samples;
    }

    /// <summary>
    /// Renames one operator of the graph to one no runtime has: still well-formed protobuf with its metadata (so the
    /// cheap checks pass), but ONNX Runtime refuses it, and sherpa-onnx aborts on the refusal.
    /// </summary>
    public static void Corrupt(string onnxPath)
    {
        byte[] model = File.ReadAllBytes(onnxPath);
        byte[] opType = [0x22, 0x05, .. Encoding.ASCII.GetBytes("Range")]; // NodeProto.op_type = "Range"
        int at = model.AsSpan().IndexOf(opType);
        Assert.True(at >= 0, "the model has no Range operator to corrupt");
        model[at + 6] = (byte)'Q';
        File.WriteAllBytes(onnxPath, model);
    }

    /// <summary>
    /// The Kokoro folder, its model given one more metadata entry whose key claims 2^62 bytes: a length no file holds,
    /// and one that does not fit in an int.
    /// </summary>
    public static string WriteKokoroWithAnImpossibleLength(string directory)
    {
        WriteKokoro(directory);
        byte[] entry = [0x0A, .. OnnxModelWriter.Varint(1UL << 62)]; // StringStringEntryProto.key, 2^62 bytes long
        byte[] field = [0x72, .. OnnxModelWriter.Varint((ulong)entry.Length), .. entry]; // ModelProto.metadata_props (14)
        using (var model = new FileStream(Path.Combine(directory, "model.onnx"), FileMode.Append))
        {
            model.Write(field);
        }
        return directory;
    }

    /// <summary>A .tar.bz2 of <paramref name="directory"/> under its own name, as sherpa-onnx's release archives are.</summary>
    public static async Task<byte[]> TarBz2Async(string directory)
    {
        string archive = Path.Combine(Path.GetTempPath(), $"voxgate-model-{Guid.NewGuid():N}.tar.bz2");
        try
        {
            var info = new ProcessStartInfo("tar") { RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in new[] { "cjf", archive, "-C", Path.GetDirectoryName(directory)!, Path.GetFileName(directory) })
            {
                info.ArgumentList.Add(argument);
            }
            using Process tar = Process.Start(info)!;
            string errors = await tar.StandardError.ReadToEndAsync();
            await tar.WaitForExitAsync();
            Assert.True(tar.ExitCode == 0, errors);
            return await File.ReadAllBytesAsync(archive);
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
