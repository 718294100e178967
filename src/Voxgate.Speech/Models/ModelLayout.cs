using System.Globalization;
using Voxgate.Speech.Engines;

namespace Voxgate.Speech.Models;

/// <summary>
/// Works out a model folder's manifest from what is in it, as sherpa-onnx's release archives lay them out: the ONNX
/// model (its metadata says the kind, rate and speakers), tokens.txt, voices.bin, espeak-ng-data/, lexicons and rule
/// FSTs, and a Matcha vocoder. Used by <c>models pull</c> and <c>models add</c> alike.
/// </summary>
public static class ModelLayout
{
    /// <exception cref="InvalidDataException">The folder does not hold a model this can describe, with the reason.</exception>
    public static ModelManifest Describe(string directory, string id, KnownModel? known, string? source)
    {
        string[] onnx = [.. Directory.EnumerateFiles(directory, "*.onnx", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal)];
        if (onnx.Length == 0)
        {
            throw new InvalidDataException($"No .onnx model in {directory}.");
        }
        var described = onnx.Select(path => (Path: path, Metadata: OnnxMetadata.Read(path))).ToList();
        if (DescribeCloning(directory, id, known, source, described) is { } cloning)
        {
            return cloning;
        }
        (string modelPath, IReadOnlyDictionary<string, string> metadata) =
            described.FirstOrDefault(d => d.Metadata.TryGetValue("model_type", out string? type) && !IsVocoder(type)) is { Path: not null } typed
                ? typed
                : throw new InvalidDataException($"None of the .onnx files in {directory} says it is a TTS model (model_type): not a sherpa-onnx TTS model.");
        ModelKind kind = metadata["model_type"] switch
        {
            "vits" => ModelKind.Vits,
            "kokoro" => ModelKind.Kokoro,
            "kitten-tts" or "kitten" => ModelKind.Kitten,
            "matcha-tts" or "matcha" => ModelKind.Matcha,
            string other => throw new InvalidDataException($"model_type '{other}' is not a kind Voxgate runs (vits, matcha, kokoro, kitten)."),
        };
        const string tokens = "tokens.txt";
        if (!File.Exists(Path.Combine(directory, tokens)))
        {
            throw new InvalidDataException($"{directory} has no tokens.txt.");
        }
        string? voices = File.Exists(Path.Combine(directory, "voices.bin")) ? "voices.bin" : null;
        if (kind is ModelKind.Kokoro or ModelKind.Kitten && voices is null)
        {
            throw new InvalidDataException($"A {kind} model needs its voices.bin beside the model.");
        }
        string? vocoder = kind == ModelKind.Matcha
            ? described.Where(d => d.Metadata.TryGetValue("model_type", out string? type) && IsVocoder(type)).Select(d => Path.GetFileName(d.Path)).FirstOrDefault()
              ?? throw new InvalidDataException("A Matcha model needs its vocoder (e.g. vocos-22khz-univ.onnx, whose model_type is vocos or hifigan) beside the acoustic model.")
            : null;
        var files = new ModelFiles
        {
            Model = Path.GetFileName(modelPath),
            Tokens = tokens,
            DataDir = Directory.Exists(Path.Combine(directory, "espeak-ng-data")) ? "espeak-ng-data" : null,
            Voices = voices,
            Lexicons = Names(directory, "lexicon*.txt"),
            RuleFsts = Names(directory, "*.fst"),
            Vocoder = vocoder,
        };
        string language = Language(metadata.GetValueOrDefault("voice") ?? known?.Language ?? "en-us");
        return new ModelManifest
        {
            Id = id,
            Engine = known?.Engine ?? id,
            Kind = kind,
            Description = known?.Description ?? $"{kind} model {id}",
            License = known?.License,
            Source = source,
            Files = files,
            SampleRate = int.TryParse(metadata.GetValueOrDefault("sample_rate"), NumberStyles.None, CultureInfo.InvariantCulture, out int rate) ? rate : 0,
            Language = kind == ModelKind.Kokoro ? known?.Language : null,
            Speakers = Speakers(Path.GetFileName(modelPath), metadata, kind, language, known),
            // Kokoro's style_dim is (max tokens, 1, size); Kitten's (1, size) has no token limit in it.
            MaxTokens = kind == ModelKind.Kokoro && metadata.GetValueOrDefault("style_dim") is { } styleDim
                && int.TryParse(styleDim.Split(',')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int maxTokens) ? maxTokens : null,
        };
    }

    /// <summary>The one voice of a cloning model: it speaks as the reference recording given with each request.</summary>
    public const string CloneVoice = "clone";

    /// <summary>
    /// A zero-shot cloning model, recognised by its files as sherpa-onnx's release archives name them (their ONNX
    /// files carry no model_type): ZipVoice is <c>encoder</c> + <c>decoder</c> (<c>.onnx</c> or <c>.int8.onnx</c>),
    /// tokens.txt and a Vocos vocoder; Pocket TTS is <c>lm_flow</c>, <c>lm_main</c>, <c>encoder</c>, <c>decoder</c>,
    /// <c>text_conditioner</c>, vocab.json and token_scores.json. Null when the folder is neither.
    /// </summary>
    private static ModelManifest? DescribeCloning(string directory, string id, KnownModel? known, string? source,
        List<(string Path, IReadOnlyDictionary<string, string> Metadata)> described)
    {
        string? Onnx(string role) =>
            new[] { $"{role}.int8.onnx", $"{role}.onnx" }.FirstOrDefault(name => File.Exists(Path.Combine(directory, name)));
        string? File_(string name) => File.Exists(Path.Combine(directory, name)) ? name : null;
        ModelKind kind;
        ModelFiles files;
        int sampleRate;
        if (Onnx("lm_flow") is { } lmFlow && Onnx("lm_main") is { } lmMain)
        {
            kind = ModelKind.PocketTts;
            string Need(string? name, string what) => name ?? throw new InvalidDataException($"A Pocket TTS model needs {what} beside lm_flow and lm_main.");
            files = new ModelFiles
            {
                Model = Need(Onnx("encoder"), "its Mimi encoder (encoder.onnx)"),
                Decoder = Need(Onnx("decoder"), "its Mimi decoder (decoder.onnx or decoder.int8.onnx)"),
                LmFlow = lmFlow,
                LmMain = lmMain,
                TextConditioner = Need(Onnx("text_conditioner"), "its text conditioner (text_conditioner.onnx)"),
                Tokens = Need(File_("vocab.json"), "vocab.json"),
                TokenScores = Need(File_("token_scores.json"), "token_scores.json"),
                RuleFsts = Names(directory, "*.fst"),
            };
            sampleRate = 24000; // sherpa-onnx's Pocket TTS always speaks at 24 kHz
        }
        else if (Onnx("encoder") is { } encoder && Onnx("decoder") is { } decoder && File_("tokens.txt") is { } tokens)
        {
            kind = ModelKind.ZipVoice;
            var vocoders = described.Where(d => d.Metadata.TryGetValue("model_type", out string? type) && IsVocoder(type)).ToList();
            if (vocoders.Count == 0)
            {
                throw new InvalidDataException("A ZipVoice model needs its Vocos vocoder (vocos_24khz.onnx, model_type vocos) beside the encoder and decoder.");
            }
            // sherpa-onnx 1.13.8 runs ZipVoice's vocoder only as Vocos: it would hand a HiFi-GAN the Matcha vocoder's (empty) path.
            (string vocoderPath, _) = vocoders.FirstOrDefault(d => d.Metadata["model_type"] is "vocos" or "matcha-tts vocos") is { Path: not null } vocos
                ? vocos
                : throw new InvalidDataException($"ZipVoice needs a Vocos vocoder; '{Path.GetFileName(vocoders[0].Path)}' is {vocoders[0].Metadata["model_type"]}, which sherpa-onnx 1.13.8 cannot run for ZipVoice.");
            // sherpa-onnx 1.13.8 ends the whole process when a ZipVoice model comes without its lexicon.
            string lexicon = File_("lexicon.txt")
                ?? throw new InvalidDataException("A ZipVoice model needs its lexicon.txt (the release archive has one) beside the encoder and decoder.");
            files = new ModelFiles
            {
                Model = encoder,
                Decoder = decoder,
                Vocoder = Path.GetFileName(vocoderPath),
                Tokens = tokens,
                DataDir = Directory.Exists(Path.Combine(directory, "espeak-ng-data")) ? "espeak-ng-data" : null,
                Lexicons = [lexicon],
                RuleFsts = Names(directory, "*.fst"),
            };
            IReadOnlyDictionary<string, string> decoderMetadata = described.First(d => Path.GetFileName(d.Path) == decoder).Metadata;
            sampleRate = int.TryParse(decoderMetadata.GetValueOrDefault("sample_rate"), NumberStyles.None, CultureInfo.InvariantCulture, out int rate) ? rate : 24000;
        }
        else
        {
            return null;
        }
        string language = Language(known?.Language ?? "en-us");
        return new ModelManifest
        {
            Id = id,
            Engine = known?.Engine ?? id,
            Kind = kind,
            Description = known?.Description ?? $"{(kind == ModelKind.ZipVoice ? "ZipVoice" : "Pocket TTS")} cloning model {id}",
            License = known?.License,
            Source = source,
            Files = files,
            SampleRate = sampleRate,
            Speakers = [new ModelSpeaker(0, CloneVoice, language)],
        };
    }

    /// <summary>Far more speakers than any model has (LibriTTS voices have about 900): a count beyond is a malformed file, not a list to build.</summary>
    private const int MaxSpeakers = 100_000;

    /// <summary>
    /// Speakers from the metadata's <c>speaker_names</c>, else numbered; a single speaker takes the known model's
    /// voice name. Kokoro-style names (<c>af_heart</c>) carry language and gender in their first two letters.
    /// </summary>
    private static IReadOnlyList<ModelSpeaker> Speakers(string file, IReadOnlyDictionary<string, string> metadata, ModelKind kind, string language, KnownModel? known)
    {
        int count = int.TryParse(metadata.GetValueOrDefault("n_speakers"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1;
        if (count > MaxSpeakers)
        {
            throw new InvalidDataException($"'{file}' says it has {count:N0} speakers (n_speakers); no real model has more than {MaxSpeakers:N0}.");
        }
        string[] names = metadata.GetValueOrDefault("speaker_names") is { Length: > 0 } list
            ? [.. list.Split(',', StringSplitOptions.TrimEntries)]
            : count == 1 ? [known?.Voice ?? "default"] : [.. Enumerable.Range(0, count).Select(i => $"speaker{i}")];
        return [.. names.Take(count).Select((name, sid) => kind is ModelKind.Kokoro or ModelKind.Kitten && KokoroStyleName(name) is { } described
            ? new ModelSpeaker(sid, name, described.Language, described.Gender)
            : new ModelSpeaker(sid, name, language, known?.Gender ?? SuffixGender(name)))];
    }

    /// <summary>Kokoro's naming: the first letter the accent (a American, b British, ...), the second f or m.</summary>
    internal static (string Language, VoiceGender Gender)? KokoroStyleName(string name)
    {
        if (name.Length < 3 || name[2] != '_' || name[1] is not ('f' or 'm'))
        {
            return null;
        }
        string? language = name[0] switch
        {
            'a' => "en-us",
            'b' => "en-gb",
            'e' => "es",
            'f' => "fr-fr",
            'h' => "hi",
            'i' => "it",
            'j' => "ja",
            'p' => "pt-br",
            'z' => "cmn",
            _ => null,
        };
        return language is null ? null : (language, name[1] == 'f' ? VoiceGender.Female : VoiceGender.Male);
    }

    /// <summary>sherpa-onnx's vocoders say what they are in their metadata, as the TTS models do.</summary>
    private static bool IsVocoder(string modelType) => modelType is "hifigan" or "vocos" or "matcha-tts vocos";

    /// <summary>KittenTTS names its voices <c>expr-voice-2-f</c>, <c>expr-voice-3-m</c>: the last letter is the gender.</summary>
    private static VoiceGender SuffixGender(string name) =>
        name.EndsWith("-f", StringComparison.Ordinal) ? VoiceGender.Female : name.EndsWith("-m", StringComparison.Ordinal) ? VoiceGender.Male : VoiceGender.Unknown;

    /// <summary>eSpeak voice names as language tags (<c>en-us</c>, <c>de</c>; <c>cmn</c> for Mandarin).</summary>
    private static string Language(string voice) => voice.ToLowerInvariant().Replace('_', '-') switch
    {
        "zh" or "zh-cn" => "cmn",
        string tag => tag,
    };

    private static List<string>? Names(string directory, string pattern)
    {
        List<string> names = [.. Directory.EnumerateFiles(directory, pattern).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        return names.Count > 0 ? names : null;
    }
}
