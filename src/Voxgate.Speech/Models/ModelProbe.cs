using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;

namespace Voxgate.Speech.Models;

/// <summary>
/// The trial itself, run inside the child process: check the files, load the model, speak one sentence with its first
/// speaker. A crash here ends only the child; the parent records it.
/// </summary>
public static class ModelProbe
{
    public const string Sentence = "Voxgate checks this voice.";

    /// <returns>The problem, or null when the model works.</returns>
    public static async Task<string?> RunAsync(InstalledModel model, ModelOptions options, CancellationToken cancellationToken)
    {
        ModelManifest manifest = model.Manifest;
        foreach (string? file in new[] { manifest.Files.Model, manifest.Files.Tokens, manifest.Files.Voices, manifest.Files.Vocoder })
        {
            if (file is not null && !File.Exists(Path.Combine(model.Directory, file)))
            {
                return $"{file} is missing from {model.Directory}.";
            }
        }
        foreach (string onnx in new[] { manifest.Files.Model, manifest.Files.Vocoder }.OfType<string>())
        {
            try
            {
                OnnxMetadata.Read(Path.Combine(model.Directory, onnx)); // a cheap look before the native load, which aborts on garbage
            }
            catch (InvalidDataException ex)
            {
                return ex.Message;
            }
        }
        if (manifest.Speakers.Count == 0)
        {
            return "The model's manifest lists no speakers.";
        }
        try
        {
            using SherpaEngine engine = SherpaEngine.Load(model, options);
            VoiceInfo voice = engine.Voices[0];
            long samples = 0;
            await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(Sentence, voice), cancellationToken))
            {
                samples += chunk.Samples.Length;
            }
            return samples > 0 ? null : "The model produced no audio for a test sentence.";
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or DllNotFoundException or Synthesis.SpeechSynthesisException)
        {
            return ex.Message;
        }
    }
}
