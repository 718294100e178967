using System.Text.Json;
using System.Text.Json.Serialization;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Models;

/// <summary>
/// What Voxgate knows of an installed model, written as <c>voxgate-model.json</c> in its folder when it is installed:
/// its kind, the files sherpa-onnx needs (relative to the folder), and its speakers. Editable by hand.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "voxgate-model.json";

    public required string Id { get; init; }

    /// <summary>The engine name: the prefix of the model's voice ids (<c>kokoro</c> in <c>kokoro:af_heart</c>).</summary>
    public required string Engine { get; init; }

    public required ModelKind Kind { get; init; }

    public string Description { get; init; } = "";

    public string? License { get; init; }

    /// <summary>Where it came from: the download address, or the local path it was added from.</summary>
    public string? Source { get; init; }

    public required ModelFiles Files { get; init; }

    public int SampleRate { get; init; }

    /// <summary>The language the model's front end reads (Kokoro's <c>lang</c>), when it has one.</summary>
    public string? Language { get; init; }

    public IReadOnlyList<ModelSpeaker> Speakers { get; init; } = [];

    /// <summary>
    /// Kokoro and Kitten: the longest token sequence one run takes (the metadata's <c>style_dim[0]</c>). sherpa-onnx
    /// 1.13.8 aborts the process when a chunk reaches it, so the engine keeps each call's text well under it.
    /// </summary>
    public int? MaxTokens { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ModelManifest Load(string directory) =>
        JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(directory, FileName)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(directory, FileName)} is empty.");

    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The sherpa-onnx configuration for the model in <paramref name="directory"/>, with absolute paths.</summary>
    internal SherpaModelConfig ToSherpaConfig(string directory, int threads, string? voicesOverride = null)
    {
        string? Full(string? relative) => relative is null ? null : Path.Combine(directory, relative);
        string? Joined(IReadOnlyList<string>? relatives) => relatives is { Count: > 0 } ? string.Join(",", relatives.Select(r => Path.Combine(directory, r))) : null;
        return new SherpaModelConfig(
            Kind switch
            {
                ModelKind.Vits => SherpaModelKind.Vits,
                ModelKind.Matcha => SherpaModelKind.Matcha,
                ModelKind.Kokoro => SherpaModelKind.Kokoro,
                ModelKind.Kitten => SherpaModelKind.Kitten,
                ModelKind.ZipVoice => SherpaModelKind.ZipVoice,
                ModelKind.PocketTts => SherpaModelKind.Pocket,
                _ => throw new InvalidDataException($"Model '{Id}' has an unknown kind."),
            },
            Full(Files.Model)!, Full(Files.Tokens)!, Full(Files.DataDir), voicesOverride ?? Full(Files.Voices), Joined(Files.Lexicons),
            Full(Files.Vocoder), Language, threads, Joined(Files.RuleFsts))
        {
            Decoder = Full(Files.Decoder),
            LmFlow = Full(Files.LmFlow),
            LmMain = Full(Files.LmMain),
            TextConditioner = Full(Files.TextConditioner),
            TokenScores = Full(Files.TokenScores),
        };
    }
}

/// <summary>The model kinds sherpa-onnx's offline TTS runs that Voxgate supports.</summary>
public enum ModelKind
{
    /// <summary>VITS, including Piper voices (<c>model_type=vits</c>).</summary>
    Vits,

    /// <summary>Matcha-TTS: an acoustic model and a separate vocoder.</summary>
    Matcha,

    /// <summary>Kokoro: one model, many speakers as style vectors in voices.bin (which can be blended).</summary>
    Kokoro,

    /// <summary>KittenTTS: Kokoro-like, with voices.bin.</summary>
    Kitten,

    /// <summary>
    /// ZipVoice (zero-shot cloning): a text encoder, a flow-matching decoder and a Vocos vocoder; it speaks like a
    /// reference recording given with each request, and needs that recording's transcript.
    /// </summary>
    ZipVoice,

    /// <summary>Pocket TTS (zero-shot cloning): language model, flow head, Mimi codec and text conditioner; a reference recording alone, no transcript.</summary>
    PocketTts,
}

/// <summary>A model's files, relative to its folder.</summary>
public sealed record ModelFiles
{
    /// <summary>The model (Matcha: the acoustic model).</summary>
    public required string Model { get; init; }

    public required string Tokens { get; init; }

    /// <summary>espeak-ng-data for phonemising; Debian's is used when the model brings none.</summary>
    public string? DataDir { get; init; }

    /// <summary>Kokoro and Kitten: the speakers' style vectors.</summary>
    public string? Voices { get; init; }

    public IReadOnlyList<string>? Lexicons { get; init; }

    public IReadOnlyList<string>? RuleFsts { get; init; }

    /// <summary>Matcha and ZipVoice: the vocoder.</summary>
    public string? Vocoder { get; init; }

    /// <summary>ZipVoice: the flow-matching decoder (the encoder is <see cref="Model"/>). Pocket TTS: the Mimi decoder (the Mimi encoder is <see cref="Model"/>).</summary>
    public string? Decoder { get; init; }

    /// <summary>Pocket TTS: the flow head.</summary>
    public string? LmFlow { get; init; }

    /// <summary>Pocket TTS: the language model.</summary>
    public string? LmMain { get; init; }

    /// <summary>Pocket TTS: the text conditioner.</summary>
    public string? TextConditioner { get; init; }

    /// <summary>Pocket TTS: token_scores.json of its SentencePiece vocabulary (vocab.json is <see cref="Tokens"/>).</summary>
    public string? TokenScores { get; init; }

    /// <summary>Every ONNX file the model loads, as paths relative to the folder.</summary>
    public IEnumerable<string> OnnxFiles() => new[] { Model, Vocoder, Decoder, LmFlow, LmMain, TextConditioner }.OfType<string>();
}

/// <summary>One of a model's speakers: its sherpa-onnx speaker id, name, and what the model says of it.</summary>
public sealed record ModelSpeaker(int Id, string Name, string Language, VoiceGender Gender = VoiceGender.Unknown);
