using System.ComponentModel.DataAnnotations;
using Voxgate.Speech.Settings;

namespace Voxgate.Speech.Models;

/// <summary>Neural models run by sherpa-onnx (configuration section <c>Voxgate:Models</c>).</summary>
public sealed class ModelOptions
{
    public const string Section = "Voxgate:Models";

    /// <summary>Where installed models live, one folder each: <c>&lt;data&gt;/models</c>.</summary>
    [Required]
    public string Directory { get; set; } = "./data/models";

    /// <summary>The list of models <c>models pull</c> knows; <c>&lt;data&gt;/models.json</c> replaces it when present.</summary>
    public string KnownModelsFile { get; set; } = Path.Combine(AppContext.BaseDirectory, "models.json");

    /// <summary>The folder holding libsherpa-onnx-c-api.so (<c>VOXGATE_SHERPA_DIR</c>); null finds the checkout's <c>.native/sherpa-onnx</c>.</summary>
    public string? LibraryDirectory { get; set; }

    /// <summary>espeak-ng-data for models that bring none (Debian's).</summary>
    public string FallbackDataDirectory { get; set; } = "/usr/lib/x86_64-linux-gnu/espeak-ng-data";

    /// <summary>ONNX Runtime threads per generation.</summary>
    [Positive]
    public int ThreadsPerGeneration { get; set; } = 1;

    /// <summary>Generations one model runs at once (sherpa-onnx's Generate is safe on one handle from several threads).</summary>
    [Positive]
    public int MaxConcurrentPerModel { get; set; } = 2;

    /// <summary>Blended Kokoro/Kitten voices kept loaded; each is a second handle on the model.</summary>
    [Positive]
    public int MaxBlendHandles { get; set; } = 2;

    /// <summary>
    /// Pocket TTS: voice embeddings (one per reference recording, at most about 0.5 MB each) sherpa-onnx keeps so that
    /// a cloned voice's next request skips the encoder. sherpa-onnx keeps them in one cache for the whole process.
    /// </summary>
    [NotNegative]
    public int MaxVoiceEmbeddings { get; set; } = 8;

    /// <summary>
    /// Cloning models: the longest reference recording an engine accepts (ZipVoice reads all of it as its prompt; Pocket
    /// TTS only its first 10 s). A longer one is refused, so one request cannot make the model work on minutes of prompt.
    /// </summary>
    [Positive]
    public TimeSpan MaxReferenceLength { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cloning models: flow-matching steps per generation; null takes the model's default (ZipVoice's distilled model 4, Pocket TTS 5).</summary>
    [Positive]
    public int? CloningSteps { get; set; }

    /// <summary>How long a model's trial load in a child process may take.</summary>
    [Positive]
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
