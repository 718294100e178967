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
        foreach (string? file in manifest.Files.OnnxFiles().Concat([manifest.Files.Tokens, manifest.Files.Voices, manifest.Files.TokenScores]))
        {
            if (file is not null && !File.Exists(Path.Combine(model.Directory, file)))
            {
                return $"{file} is missing from {model.Directory}.";
            }
        }
        foreach (string onnx in manifest.Files.OnnxFiles())
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
            VoiceReference? reference = engine is IVoiceCloning ? TrialReference() : null;
            await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(Sentence, voice, Reference: reference), cancellationToken))
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

    /// <summary>
    /// What a cloning model imitates in its trial: two seconds of a gliding, fading tone at 16 kHz (so the resampler is
    /// tried too), said to be the trial sentence.
    /// </summary>
    private static VoiceReference TrialReference()
    {
        const int Rate = 16000;
        float[] samples = new float[2 * Rate];
        double phase = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            phase += 2 * Math.PI * (150 + 100.0 * i / samples.Length) / Rate;
            samples[i] = (float)(0.3 * Math.Sin(phase) * (1 - 0.5 * i / samples.Length));
        }
        return new VoiceReference("voxgate-trial", samples, Rate, Sentence);
    }
}
