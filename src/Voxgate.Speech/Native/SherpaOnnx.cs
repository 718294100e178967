using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// sherpa-onnx's offline TTS C API (npm <c>sherpa-onnx-linux-x64@1.13.8</c>: <c>libsherpa-onnx-c-api.so</c>, which
/// finds its <c>libonnxruntime.so</c> beside itself; Apache-2.0 and MIT). The library is not a Debian package, so a
/// resolver loads it from the folder <see cref="UseLibraryDirectory"/> was given (configuration's
/// <c>Voxgate:Models:LibraryDirectory</c>), else the checkout's <c>.native/sherpa-onnx</c>. The structs below are laid out as the 1.13.8 binary reads
/// them (checked against that binary, and against sherpa-onnx's C header <c>c-api.h</c> of that release), so <see cref="CheckVersion"/> refuses any other
/// version before the first struct is passed. Hazards the callers handle: errors are printed to stderr only (Create
/// returns null), and a file that is not valid ONNX aborts the process, hence trial loads in a child process.
/// </summary>
internal static unsafe partial class SherpaOnnx
{
    private const string Library = "sherpa-onnx-c-api";
    private const string FileName = "libsherpa-onnx-c-api.so";

    /// <summary>The only version whose struct layout this binding knows.</summary>
    public const string SupportedVersion = "1.13.8";

    static SherpaOnnx() => NativeLibrary.SetDllImportResolver(typeof(SherpaOnnx).Assembly, Resolve);

    private static readonly Lock s_directoryLock = new();

    /// <summary>The folder the library is to be loaded from (configured), and the one it was loaded from (once loaded).</summary>
    private static string? s_configuredDirectory;
    private static string? s_loadedDirectory;

    [LibraryImport(Library, EntryPoint = "SherpaOnnxGetVersionStr")]
    private static partial nint GetVersionString();

    [LibraryImport(Library, EntryPoint = "SherpaOnnxGetGitSha1")]
    private static partial nint GetGitSha1();

    [LibraryImport(Library, EntryPoint = "SherpaOnnxCreateOfflineTts")]
    private static partial TtsHandle CreateOfflineTts(OfflineTtsConfig* config);

    [LibraryImport(Library, EntryPoint = "SherpaOnnxDestroyOfflineTts")]
    private static partial void DestroyOfflineTts(nint tts);

    [LibraryImport(Library, EntryPoint = "SherpaOnnxOfflineTtsSampleRate")]
    private static partial int NativeSampleRate(TtsHandle tts);

    [LibraryImport(Library, EntryPoint = "SherpaOnnxOfflineTtsNumSpeakers")]
    private static partial int NativeNumSpeakers(TtsHandle tts);

    [LibraryImport(Library, EntryPoint = "SherpaOnnxOfflineTtsGenerateWithConfig")]
    private static partial nint GenerateWithConfig(TtsHandle tts, byte* text, GenerationConfig* config,
        delegate* unmanaged<float*, int, float, nint, int> callback, nint argument);

    [LibraryImport(Library, EntryPoint = "SherpaOnnxDestroyOfflineTtsGeneratedAudio")]
    private static partial void DestroyGeneratedAudio(nint audio);

    public sealed class TtsHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            DestroyOfflineTts(handle);
            return true;
        }
    }

    /// <summary>
    /// <c>SherpaOnnxOfflineTtsConfig</c> of 1.13.8 (448 bytes) with its model config inlined: VITS at 0, threads at 56,
    /// Matcha at 72, Kokoro at 128, Kitten at 192, ZipVoice at 232 (six paths, then four floats), Pocket TTS at 296
    /// (seven paths, then the int voice-embedding cache capacity); Supertonic (360..415) stays zero. The ZipVoice and
    /// Pocket offsets were checked as the others were: the binary's <c>debug=1</c> printout of the parsed config shows
    /// each field set here under its own name.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 448)]
    private struct OfflineTtsConfig
    {
        [FieldOffset(0)] public nint VitsModel;
        [FieldOffset(8)] public nint VitsLexicon;
        [FieldOffset(16)] public nint VitsTokens;
        [FieldOffset(24)] public nint VitsDataDir;
        [FieldOffset(32)] public float VitsNoiseScale;
        [FieldOffset(36)] public float VitsNoiseScaleW;
        [FieldOffset(40)] public float VitsLengthScale;
        [FieldOffset(56)] public int NumThreads;
        [FieldOffset(60)] public int Debug;
        [FieldOffset(64)] public nint Provider;
        [FieldOffset(72)] public nint MatchaAcousticModel;
        [FieldOffset(80)] public nint MatchaVocoder;
        [FieldOffset(88)] public nint MatchaLexicon;
        [FieldOffset(96)] public nint MatchaTokens;
        [FieldOffset(104)] public nint MatchaDataDir;
        [FieldOffset(112)] public float MatchaNoiseScale;
        [FieldOffset(116)] public float MatchaLengthScale;
        [FieldOffset(128)] public nint KokoroModel;
        [FieldOffset(136)] public nint KokoroVoices;
        [FieldOffset(144)] public nint KokoroTokens;
        [FieldOffset(152)] public nint KokoroDataDir;
        [FieldOffset(160)] public float KokoroLengthScale;
        [FieldOffset(176)] public nint KokoroLexicon;
        [FieldOffset(184)] public nint KokoroLang;
        [FieldOffset(192)] public nint KittenModel;
        [FieldOffset(200)] public nint KittenVoices;
        [FieldOffset(208)] public nint KittenTokens;
        [FieldOffset(216)] public nint KittenDataDir;
        [FieldOffset(224)] public float KittenLengthScale;
        [FieldOffset(232)] public nint ZipvoiceTokens;
        [FieldOffset(240)] public nint ZipvoiceEncoder;
        [FieldOffset(248)] public nint ZipvoiceDecoder;
        [FieldOffset(256)] public nint ZipvoiceVocoder;
        [FieldOffset(264)] public nint ZipvoiceDataDir;
        [FieldOffset(272)] public nint ZipvoiceLexicon;
        [FieldOffset(280)] public float ZipvoiceFeatScale;
        [FieldOffset(284)] public float ZipvoiceTShift;
        [FieldOffset(288)] public float ZipvoiceTargetRms;
        [FieldOffset(292)] public float ZipvoiceGuidanceScale;
        [FieldOffset(296)] public nint PocketLmFlow;
        [FieldOffset(304)] public nint PocketLmMain;
        [FieldOffset(312)] public nint PocketEncoder;
        [FieldOffset(320)] public nint PocketDecoder;
        [FieldOffset(328)] public nint PocketTextConditioner;
        [FieldOffset(336)] public nint PocketVocabJson;
        [FieldOffset(344)] public nint PocketTokenScoresJson;
        [FieldOffset(352)] public int PocketVoiceEmbeddingCacheCapacity;
        [FieldOffset(416)] public nint RuleFsts;
        [FieldOffset(424)] public int MaxNumSentences;
        [FieldOffset(432)] public nint RuleFars;
        [FieldOffset(440)] public float SilenceScale;
    }

    /// <summary>
    /// <c>SherpaOnnxGenerationConfig</c> of 1.13.8 (56 bytes): the reference recording (samples, count, rate), its
    /// transcript (UTF-8) and the flow-matching steps are read by the cloning models only; extras (JSON) at 48.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 56)]
    private struct GenerationConfig
    {
        [FieldOffset(0)] public float SilenceScale;
        [FieldOffset(4)] public float Speed;
        [FieldOffset(8)] public int SpeakerId;
        [FieldOffset(16)] public float* ReferenceAudio;
        [FieldOffset(24)] public int ReferenceAudioLength;
        [FieldOffset(28)] public int ReferenceSampleRate;
        [FieldOffset(32)] public byte* ReferenceText;
        [FieldOffset(40)] public int NumSteps;
        [FieldOffset(48)] public byte* Extra;
    }

    /// <summary>The library's version string (loads it).</summary>
    public static string Version() => Marshal.PtrToStringUTF8(GetVersionString()) ?? "";

    public static string GitRevision() => Marshal.PtrToStringUTF8(GetGitSha1()) ?? "";

    /// <exception cref="NotSupportedException">The loaded library is not the version this binding's layout is for.</exception>
    public static void CheckVersion()
    {
        string version = Version();
        if (version != SupportedVersion)
        {
            throw new NotSupportedException(
                $"sherpa-onnx {version} is loaded, but this binding's struct layout is checked for {SupportedVersion} only; install {SupportedVersion}.");
        }
    }

    /// <summary>Creates a TTS handle; null when sherpa-onnx refused the configuration (its reason went to stderr).</summary>
    public static TtsHandle? Create(SherpaModelConfig model)
    {
        CheckVersion();
        var strings = new List<nint>();
        nint Text(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return 0;
            }
            nint pointer = Marshal.StringToCoTaskMemUTF8(value);
            strings.Add(pointer);
            return pointer;
        }
        try
        {
            var config = new OfflineTtsConfig
            {
                NumThreads = Math.Max(1, model.Threads),
                Provider = Text("cpu"),
                MaxNumSentences = 1,
                SilenceScale = 0.2f,
                RuleFsts = Text(model.RuleFsts),
                Debug = model.Debug ? 1 : 0,
            };
            switch (model.Kind)
            {
                case SherpaModelKind.Vits:
                    (config.VitsModel, config.VitsLexicon, config.VitsTokens, config.VitsDataDir) =
                        (Text(model.Model), Text(model.Lexicon), Text(model.Tokens), Text(model.DataDir));
                    (config.VitsNoiseScale, config.VitsNoiseScaleW, config.VitsLengthScale) = (0.667f, 0.8f, 1f);
                    break;
                case SherpaModelKind.Matcha:
                    (config.MatchaAcousticModel, config.MatchaVocoder, config.MatchaLexicon, config.MatchaTokens, config.MatchaDataDir) =
                        (Text(model.Model), Text(model.Vocoder), Text(model.Lexicon), Text(model.Tokens), Text(model.DataDir));
                    (config.MatchaNoiseScale, config.MatchaLengthScale) = (0.667f, 1f);
                    break;
                case SherpaModelKind.Kokoro:
                    (config.KokoroModel, config.KokoroVoices, config.KokoroTokens, config.KokoroDataDir, config.KokoroLexicon, config.KokoroLang) =
                        (Text(model.Model), Text(model.Voices), Text(model.Tokens), Text(model.DataDir), Text(model.Lexicon), Text(model.Language));
                    config.KokoroLengthScale = 1f;
                    break;
                case SherpaModelKind.Kitten:
                    (config.KittenModel, config.KittenVoices, config.KittenTokens, config.KittenDataDir) =
                        (Text(model.Model), Text(model.Voices), Text(model.Tokens), Text(model.DataDir));
                    config.KittenLengthScale = 1f;
                    break;
                case SherpaModelKind.ZipVoice:
                    (config.ZipvoiceEncoder, config.ZipvoiceDecoder, config.ZipvoiceVocoder, config.ZipvoiceTokens, config.ZipvoiceDataDir, config.ZipvoiceLexicon) =
                        (Text(model.Model), Text(model.Decoder), Text(model.Vocoder), Text(model.Tokens), Text(model.DataDir), Text(model.Lexicon));
                    // sherpa-onnx's own defaults for ZipVoice (its command line's); a zero would silence the model.
                    (config.ZipvoiceFeatScale, config.ZipvoiceTShift, config.ZipvoiceTargetRms, config.ZipvoiceGuidanceScale) = (0.1f, 0.5f, 0.1f, 1f);
                    break;
                case SherpaModelKind.Pocket:
                    (config.PocketLmFlow, config.PocketLmMain, config.PocketEncoder, config.PocketDecoder, config.PocketTextConditioner) =
                        (Text(model.LmFlow), Text(model.LmMain), Text(model.Model), Text(model.Decoder), Text(model.TextConditioner));
                    (config.PocketVocabJson, config.PocketTokenScoresJson) = (Text(model.Tokens), Text(model.TokenScores));
                    config.PocketVoiceEmbeddingCacheCapacity = Math.Max(0, model.VoiceCacheCapacity);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(model), model.Kind, "unknown model kind");
            }
            TtsHandle handle = CreateOfflineTts(&config); // copies every string, so they are freed below
            if (handle.IsInvalid)
            {
                handle.Dispose();
                return null;
            }
            return handle;
        }
        finally
        {
            foreach (nint pointer in strings)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    public static int SampleRate(TtsHandle tts) => NativeSampleRate(tts);

    public static int Speakers(TtsHandle tts) => NativeNumSpeakers(tts);

    /// <summary>
    /// Generates <paramref name="text"/>, handing each sentence batch's samples to <paramref name="sink"/> as the
    /// library produces them. The sink returns false to stop early (a cancelled request). Blocks until done.
    /// </summary>
    /// <returns>False when the library produced nothing (it printed why to stderr).</returns>
    public static bool Generate(TtsHandle tts, string text, int speakerId, float speed, ISherpaSamplesSink sink) =>
        Generate(tts, text, speakerId, speed, reference: null, sink);

    /// <summary>
    /// As <see cref="Generate(TtsHandle, string, int, float, ISherpaSamplesSink)"/>, for a cloning model: the reference
    /// recording's samples are pinned for the call (the library reads them only while it generates) and its transcript
    /// passed as UTF-8.
    /// </summary>
    public static bool Generate(TtsHandle tts, string text, int speakerId, float speed, SherpaReference? reference, ISherpaSamplesSink sink)
    {
        byte[] utf8 = [.. System.Text.Encoding.UTF8.GetBytes(text), 0];
        byte[]? transcript = reference?.Transcript is { Length: > 0 } words ? [.. System.Text.Encoding.UTF8.GetBytes(words), 0] : null;
        var config = new GenerationConfig { SilenceScale = 0.2f, Speed = speed, SpeakerId = speakerId };
        GCHandle target = GCHandle.Alloc(sink);
        nint audio;
        try
        {
            fixed (byte* textPointer = utf8)
            fixed (byte* transcriptPointer = transcript)
            fixed (float* samples = reference is null ? default : reference.Samples.Span)
            {
                if (reference is not null)
                {
                    config.ReferenceAudio = samples;
                    config.ReferenceAudioLength = reference.Samples.Length;
                    config.ReferenceSampleRate = reference.SampleRate;
                    config.ReferenceText = transcriptPointer;
                    config.NumSteps = reference.Steps;
                }
                audio = GenerateWithConfig(tts, textPointer, &config, &OnSamples, GCHandle.ToIntPtr(target));
            }
        }
        finally
        {
            target.Free();
        }
        if (audio == 0)
        {
            return false;
        }
        DestroyGeneratedAudio(audio);
        return true;
    }

    /// <summary>Called by the library on its own thread; never lets an exception unwind into native code.</summary>
    [UnmanagedCallersOnly]
    private static int OnSamples(float* samples, int count, float progress, nint argument)
    {
        try
        {
            var sink = (ISherpaSamplesSink)GCHandle.FromIntPtr(argument).Target!;
            return sink.OnSamples(new ReadOnlySpan<float>(samples, count), progress) ? 1 : 0;
        }
        catch (Exception)
        {
            return 0; // stop generating; the sink has recorded the failure
        }
    }

    /// <summary>
    /// Names the folder holding <c>libsherpa-onnx-c-api.so</c> (<c>ModelOptions.LibraryDirectory</c>, where
    /// <c>VOXGATE_SHERPA_DIR</c> arrives through configuration); null or empty: the checkout's <c>.native/sherpa-onnx</c>.
    /// Called by whoever is about to load a model, before the first call into the library. A process loads the library
    /// once, so after that another folder is refused rather than silently ignored.
    /// </summary>
    /// <exception cref="InvalidOperationException">The library is already loaded from another folder.</exception>
    public static void UseLibraryDirectory(string? directory)
    {
        string? wanted = string.IsNullOrEmpty(directory) ? null : FullPath(directory);
        lock (s_directoryLock)
        {
            if (s_loadedDirectory is not null && wanted is not null && wanted != s_loadedDirectory)
            {
                throw new InvalidOperationException($"sherpa-onnx is already loaded from {s_loadedDirectory}; it cannot also be loaded from {wanted} in the same process.");
            }
            s_configuredDirectory = wanted;
        }
    }

    private static string FullPath(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    /// <summary>
    /// The <c>.native/sherpa-onnx</c> that ./run.sh and ./test.sh fill, found by walking up from the executable (a
    /// checkout's build), else null.
    /// </summary>
    private static string? FindDirectory()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            string candidate = Path.Combine(directory, ".native", "sherpa-onnx");
            if (File.Exists(Path.Combine(candidate, FileName)))
            {
                return candidate;
            }
        }
        return null;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return 0; // every other binding imports a Debian soname the default search finds
        }
        lock (s_directoryLock)
        {
            string directory = s_configuredDirectory ?? FindDirectory()
                ?? throw new DllNotFoundException("sherpa-onnx is not installed: run ./run.sh (it fetches it into .native/) or set VOXGATE_SHERPA_DIR.");
            string path = Path.Combine(directory, FileName);
            nint library = File.Exists(path)
                ? NativeLibrary.Load(path)
                : throw new DllNotFoundException($"{path} does not exist (VOXGATE_SHERPA_DIR or Voxgate:Models:LibraryDirectory points at the wrong folder).");
            s_loadedDirectory = FullPath(directory);
            return library;
        }
    }
}

/// <summary>Receives generated samples from the library's thread.</summary>
internal interface ISherpaSamplesSink
{
    /// <returns>False to stop generation.</returns>
    bool OnSamples(ReadOnlySpan<float> samples, float progress);
}

internal enum SherpaModelKind
{
    Vits,
    Matcha,
    Kokoro,
    Kitten,
    ZipVoice,
    Pocket,
}

/// <summary>A cloning model's reference recording for one generation: mono samples at their rate, the transcript, and the flow-matching steps.</summary>
internal sealed record SherpaReference(ReadOnlyMemory<float> Samples, int SampleRate, string? Transcript, int Steps);

/// <summary>
/// What a TTS handle is created from: absolute file paths for one model kind, and its thread count. ZipVoice: the
/// encoder is <see cref="Model"/>, plus <see cref="Decoder"/> and <see cref="Vocoder"/>. Pocket TTS: the Mimi encoder
/// is <see cref="Model"/>, the Mimi decoder <see cref="Decoder"/>, vocab.json <see cref="Tokens"/>.
/// </summary>
internal sealed record SherpaModelConfig(
    SherpaModelKind Kind,
    string Model,
    string Tokens,
    string? DataDir = null,
    string? Voices = null,
    string? Lexicon = null,
    string? Vocoder = null,
    string? Language = null,
    int Threads = 1,
    string? RuleFsts = null)
{
    public string? Decoder { get; init; }

    public string? LmFlow { get; init; }

    public string? LmMain { get; init; }

    public string? TextConditioner { get; init; }

    public string? TokenScores { get; init; }

    /// <summary>Pocket TTS: how many voice embeddings (one per reference recording) the library keeps.</summary>
    public int VoiceCacheCapacity { get; init; }

    /// <summary>The library prints the configuration it parsed, and its models' metadata, to stderr.</summary>
    public bool Debug { get; init; }
}
