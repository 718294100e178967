using Voxgate.Speech.Engines;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Bench;

/// <summary>
/// Issue 13 item 3, the default reading: for every pair of the public English corpus (what is written → what a
/// careful reader says), how far each embedded engine's own reading of the written text is from its reading of the
/// expected spoken text, against how far its reading of <see cref="EnglishFrontEnd"/>'s output is. Measured offline
/// as a phoneme error rate: the engine's phonemes (eSpeak NG's IPA, Flite's CMU phones) for the three texts, and the
/// edit distance of raw → expected and normalised → expected over the expected's length, summed over the corpus.
/// </summary>
public sealed class ReadingScenario(BenchHost host, TextWriter report)
{
    private static readonly (string Voice, string Unit)[] s_voices = [("espeak:en-us", "IPA symbols"), ("flite:kal16", "CMU phones")];

    public Task RunAsync()
    {
        List<(string Kind, string Written, string Spoken)> corpus = LoadCorpus();
        var registry = host.Get<SpeechEngineRegistry>();
        var results = new List<VoiceResult>();
        foreach ((string voiceId, string unit) in s_voices)
        {
            if (!registry.TryGetVoice(voiceId, out VoiceInfo voice, out ISpeechEngine engine))
            {
                report.WriteLine($"{voiceId}: not loaded, skipped");
                continue;
            }
            Func<string, IReadOnlyList<string>> phonemes = engine switch
            {
                EspeakEngine espeak => text => IpaSymbols(espeak.Ipa(text, voice)),
                FliteEngine flite => text => flite.Phones(text, voice),
                _ => throw new InvalidOperationException($"no phonemes from {engine.Name}"),
            };
            var result = new VoiceResult(voiceId, unit);
            foreach ((string kind, string written, string spoken) in corpus)
            {
                IReadOnlyList<string> expected = phonemes(spoken);
                int raw = EditDistance(phonemes(written), expected);
                int normalised = EditDistance(phonemes(EnglishFrontEnd.Default.Normalize(written)), expected);
                result.Add(kind, expected.Count, raw, normalised);
            }
            results.Add(result);
        }
        report.WriteLine($"### Default reading: engines' own reading against the normaliser's ({corpus.Count} pairs of `english.tsv`)");
        report.WriteLine();
        report.WriteLine("Phoneme error rate against the engine's reading of the expected spoken text (lower is better).");
        report.WriteLine();
        report.WriteLine("| Voice (phonemes) | raw written text | normalised text | pairs better normalised | pairs better raw | pairs equal |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (VoiceResult r in results)
        {
            report.WriteLine($"| {r.Voice} ({r.Unit}) | {r.Rate(r.Raw):P1} | {r.Rate(r.Normalised):P1} | {r.BetterNormalised} | {r.BetterRaw} | {r.Equal} |");
        }
        report.WriteLine();
        report.WriteLine("By kind (raw → normalised):");
        report.WriteLine();
        report.WriteLine("| Kind | " + string.Join(" | ", results.Select(r => r.Voice)) + " |");
        report.WriteLine("|---|" + string.Concat(results.Select(_ => "---|")));
        foreach (string kind in corpus.Select(p => p.Kind).Distinct())
        {
            report.WriteLine($"| {kind} | " + string.Join(" | ", results.Select(r => $"{r.KindRate(kind, raw: true):P0} → {r.KindRate(kind, raw: false):P0}")) + " |");
        }
        report.WriteLine();
        return Task.CompletedTask;
    }

    private sealed class VoiceResult(string voice, string unit)
    {
        private readonly Dictionary<string, (int Length, int Raw, int Normalised)> _byKind = [];

        public string Voice => voice;
        public string Unit => unit;
        public int Length { get; private set; }
        public int Raw { get; private set; }
        public int Normalised { get; private set; }
        public int BetterNormalised { get; private set; }
        public int BetterRaw { get; private set; }
        public int Equal { get; private set; }

        public void Add(string kind, int length, int raw, int normalised)
        {
            Length += length;
            Raw += raw;
            Normalised += normalised;
            if (normalised < raw) { BetterNormalised++; } else if (raw < normalised) { BetterRaw++; } else { Equal++; }
            (int l, int r, int n) = _byKind.GetValueOrDefault(kind);
            _byKind[kind] = (l + length, r + raw, n + normalised);
        }

        public double Rate(int errors) => Length == 0 ? 0 : (double)errors / Length;

        public double KindRate(string kind, bool raw)
        {
            (int length, int r, int n) = _byKind.GetValueOrDefault(kind);
            return length == 0 ? 0 : (double)(raw ? r : n) / length;
        }
    }

    /// <summary>IPA as symbols: one per character, stress marks, word breaks and spaces left out (ː stays a symbol).</summary>
    private static List<string> IpaSymbols(string ipa) =>
        [.. ipa.Where(c => !char.IsWhiteSpace(c) && c is not ('ˈ' or 'ˌ' or '_' or '‿')).Select(c => c.ToString())];

    /// <summary>Levenshtein distance between two phoneme sequences.</summary>
    private static int EditDistance(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (int j = 0; j <= b.Count; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Count; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Count; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    /// <summary>The public corpus, found from the repository root the benchmark runs in (bench/run.sh changes to it).</summary>
    private static List<(string Kind, string Written, string Spoken)> LoadCorpus()
    {
        string path = Path.Combine("tests", "Voxgate.Tests", "Text", "Corpus", "english.tsv");
        var pairs = new List<(string, string, string)>();
        foreach (string line in File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1))
        {
            string[] fields = line.Split('\t');
            pairs.Add((fields[1], fields[2], fields[3]));
        }
        return pairs;
    }
}
