using System.Runtime.CompilerServices;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Native;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;

namespace Voxgate.Speech.Engines;

/// <summary>
/// eSpeak NG in all its languages. The library is process-global, so each call holds one
/// <see cref="EspeakNg.Session"/> (the binding's lock) for voice selection, parameters and synthesis, and nothing else:
/// resampling, effects and encoding run after it is released.
/// Speed uses eSpeak's own rate (80..450 words per minute, 175 normal) where it can. It reads phonemes inline
/// (<c>[[...]]</c>), so pronunciations may be given in IPA, or as pinyin / Jyutping for its Chinese voices.
/// </summary>
public sealed class EspeakEngine : ISpeechEngine, IPhoneticInput
{
    private readonly int _sampleRate;

    private readonly Dictionary<string, string> _nameByVoiceId = new(StringComparer.Ordinal);

    /// <summary>The voices that read romanised Chinese with tone digits, by the language they romanise.</summary>
    private readonly Dictionary<string, string> _romanisationVoice = new(StringComparer.Ordinal);

    public EspeakEngine()
    {
        List<EspeakNg.VoiceEntry> entries;
        using (EspeakNg.Session espeak = EspeakNg.Session.Enter())
        {
            _sampleRate = espeak.SampleRate;
            Version = espeak.Version();
            entries = espeak.ListVoices();
        }
        var voices = new List<VoiceInfo>();
        foreach ((string language, string suffix) in new[] { ("cmn", "cmn-Latn-pinyin"), ("yue", "yue-Latn-jyutping") })
        {
            if (entries.FirstOrDefault(e => e.Identifier.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) is { } romaniser)
            {
                _romanisationVoice[language] = romaniser.Name;
            }
        }
        foreach (EspeakNg.VoiceEntry entry in entries)
        {
            if (entry.Languages.Count == 0 || entry.Identifier.StartsWith("mb/", StringComparison.Ordinal))
            {
                continue; // MBROLA voices need separately installed databases
            }
            string language = entry.Languages[0].ToLowerInvariant();
            string id = $"espeak:{language}";
            if (!_nameByVoiceId.TryAdd(id, entry.Name))
            {
                continue;
            }
            voices.Add(new VoiceInfo(id, "espeak", entry.Name.Trim(), language,
                entry.Gender switch { 1 => VoiceGender.Male, 2 => VoiceGender.Female, _ => VoiceGender.Unknown },
                _sampleRate)
            { Description = $"eSpeak NG {entry.Name.Trim()}" });
        }
        Voices = [.. WithLanguageAliases(voices, entries).OrderBy(v => v.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// eSpeak's voice files name the default voice of a language after the bare language ("gmw/en" speaks en-gb,
    /// "roa/fr" speaks fr-fr), so <c>espeak:en</c> and <c>espeak:fr</c> reach the voice eSpeak itself would choose.
    /// </summary>
    private static IEnumerable<VoiceInfo> WithLanguageAliases(List<VoiceInfo> voices, List<EspeakNg.VoiceEntry> entries)
    {
        var ids = voices.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var identifierByName = entries.GroupBy(e => e.Name.Trim()).ToDictionary(g => g.Key, g => g.First().Identifier);
        foreach (VoiceInfo voice in voices)
        {
            string file = Path.GetFileName(identifierByName.GetValueOrDefault(voice.Name, "")).ToLowerInvariant();
            string alias = $"espeak:{file}";
            yield return file.Length > 0 && ids.Add(alias) ? voice with { Aliases = [alias] } : voice;
        }
    }

    public string Name => "espeak";

    /// <summary>
    /// IPA becomes eSpeak mnemonics (<see cref="IpaToEspeak"/>); tone syllables are read by eSpeak's own pinyin or
    /// Jyutping voice into the phonemes its Mandarin and Cantonese voices share.
    /// </summary>
    public string RenderPhonemes(PhoneticSpelling spelling, VoiceInfo voice)
    {
        if (spelling.Alphabet == PhoneticAlphabet.Ipa)
        {
            return $"[[{IpaToEspeak.Convert(spelling.Value)}]]";
        }
        string language = voice.Language.Split('-')[0];
        if (!_romanisationVoice.TryGetValue(language, out string? romaniser))
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "pronunciation_dict",
                $"'{spelling.Value}' is romanised Chinese with tones; the voice {voice.Id} speaks {voice.Language}. Use a Mandarin or Cantonese voice (espeak:cmn, espeak:yue).");
        }
        string syllables = spelling.Value.Replace(")(", " ", StringComparison.Ordinal).Trim('(', ')');
        return $"[[{Phonemes(syllables, romaniser, language, ipa: false)}]]";
    }

    /// <summary>The IPA eSpeak NG writes for <paramref name="text"/> with <paramref name="voice"/>, the phonemes Piper and Kokoro models read.</summary>
    public string Ipa(string text, VoiceInfo voice) => Phonemes(text, _nameByVoiceId[voice.Id], voice.Language, ipa: true);

    private static string Phonemes(string text, string voiceName, string language, bool ipa)
    {
        using EspeakNg.Session espeak = EspeakNg.Session.Enter();
        SelectVoice(espeak, voiceName, language);
        return espeak.TextToPhonemes(text, ipa);
    }

    public string Version { get; }

    public IReadOnlyList<VoiceInfo> Voices { get; }

    public SpeedRange NativeSpeed { get; } = new(
        (double)EspeakNg.RateMinimum / EspeakNg.RateNormal,
        (double)EspeakNg.RateMaximum / EspeakNg.RateNormal);

    /// <summary>
    /// A segment whole in one chunk; or, for <see cref="EngineRequest.Incremental"/>, in eSpeak's own buffers (about
    /// 60 ms of audio each) as it produces them, each with the words that start in it.
    /// </summary>
    public IAsyncEnumerable<PcmChunk> SynthesizeAsync(EngineRequest request, CancellationToken cancellationToken) =>
        request.Incremental
            ? BackgroundStream.StreamAsync<PcmChunk>((sink, token) => SynthesizeAsync(request, (samples, words) => sink(Chunk(samples, words)), token), cancellationToken)
            : WholeAsync(request, cancellationToken);

    private async IAsyncEnumerable<PcmChunk> WholeAsync(EngineRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EspeakNg.SynthesisResult result = await SynthesizeAsync(request, null, cancellationToken);
        yield return Chunk(result.Samples, result.Words);
    }

    private async Task<EspeakNg.SynthesisResult> SynthesizeAsync(EngineRequest request,
        Func<ReadOnlySpan<short>, IReadOnlyList<EspeakNg.WordEvent>, bool>? onChunk, CancellationToken cancellationToken)
    {
        string name = _nameByVoiceId[request.Voice.Id];
        int rate = (int)Math.Round(EspeakNg.RateNormal * NativeSpeed.Clamp(request.Speed));
        using EspeakNg.Session espeak = await EspeakNg.Session.EnterAsync(cancellationToken).ConfigureAwait(false);
        SelectVoice(espeak, name, request.Voice.Language);
        // Parameters are global: set all of them on every call so no earlier request's values leak in.
        espeak.SetProsody(rate, volume: 100, pitch: 50);
        return espeak.Synthesize(request.Text, cancellationToken, onChunk);
    }

    private static void SelectVoice(EspeakNg.Session espeak, string name, string language)
    {
        if (!espeak.SelectVoice(name, language))
        {
            throw new InvalidOperationException($"eSpeak NG could not select voice '{name}'.");
        }
    }

    private PcmChunk Chunk(ReadOnlySpan<short> samples, IReadOnlyList<EspeakNg.WordEvent> words)
    {
        var timings = new WordTiming[words.Count];
        for (int i = 0; i < timings.Length; i++)
        {
            EspeakNg.WordEvent word = words[i];
            timings[i] = new WordTiming(word.TextIndex, word.Length, TimeSpan.FromMilliseconds(word.AudioMs));
        }
        return new PcmChunk(PcmSamples.ToFloat(samples), _sampleRate, timings);
    }
}

/// <summary>Loads eSpeak NG when it is enabled.</summary>
public sealed class EspeakEngineProvider : ISpeechEngineProvider
{
    public string Name => "espeak";

    public ISpeechEngine Create() => new EspeakEngine();
}
