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
        List<Pair> corpus = LoadCorpus(Path.Combine("tests", "Voxgate.Tests", "Text", "Corpus", "english.tsv"));
        var registry = host.Get<SpeechEngineRegistry>();
        var readers = new List<(string Voice, string Unit, Func<string, IReadOnlyList<string>> Phonemes)>();
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
            readers.Add((voiceId, unit, phonemes));
        }

        List<VoiceResult> results = Measure(readers, corpus);
        report.WriteLine($"### Default reading: engines' own reading against the normaliser's ({corpus.Count} pairs of `english.tsv`)");
        report.WriteLine();
        WriteTable(results);
        report.WriteLine("By kind (raw → normalised):");
        report.WriteLine();
        report.WriteLine("| Kind | " + string.Join(" | ", results.Select(r => r.Voice)) + " |");
        report.WriteLine("|---|" + string.Concat(results.Select(_ => "---|")));
        foreach (string kind in corpus.Select(p => p.Kind).Distinct())
        {
            report.WriteLine($"| {kind} | " + string.Join(" | ", results.Select(r => $"{r.KindRate(kind, raw: true):P0} → {r.KindRate(kind, raw: false):P0}")) + " |");
        }
        report.WriteLine();

        // Written for this benchmark and never used to write the normaliser: the corpus scores 0 % by construction.
        WriteHeldOut(readers, "english-heldout.tsv", "the held-out set", "Held-out sentences");
        // Written later, without reading the normaliser, to measure the changes made to it after the first set.
        WriteHeldOut(readers, "english-heldout-2.tsv", "the second held-out set", "Second held-out set's sentences");
        return Task.CompletedTask;
    }

    /// <summary>
    /// A held-out set of bench/Voxgate.Bench/Data: the corpus table for it, then every sentence the normaliser reads
    /// wrong. <paramref name="title"/> names the set in the heading, <paramref name="sentences"/> in the list's lead.
    /// </summary>
    private void WriteHeldOut(List<(string Voice, string Unit, Func<string, IReadOnlyList<string>> Phonemes)> readers, string fileName, string title, string sentences)
    {
        List<Pair> heldOut = LoadCorpus(Path.Combine(AppContext.BaseDirectory, "Data", fileName));
        List<VoiceResult> heldOutResults = Measure(readers, heldOut);
        report.WriteLine($"### Default reading on {title} ({heldOut.Count} sentences of `bench/Voxgate.Bench/Data/{fileName}`)");
        report.WriteLine();
        WriteTable(heldOutResults);
        report.WriteLine($"{sentences} the normaliser reads wrong (its output's phonemes differ from the expected's on an engine;");
        report.WriteLine("errors are raw → normalised phonemes per voice):");
        report.WriteLine();
        report.WriteLine("| Written | Normalised | Expected | " + string.Join(" | ", heldOutResults.Select(r => r.Voice)) + " |");
        report.WriteLine("|---|---|---|" + string.Concat(heldOutResults.Select(_ => "---|")));
        for (int i = 0; i < heldOut.Count; i++)
        {
            if (heldOutResults.All(r => r.Pairs[i].Normalised == 0))
            {
                continue;
            }
            Pair pair = heldOut[i];
            report.WriteLine($"| {Cell(pair.Written)} | {Cell(EnglishFrontEnd.Default.Normalize(pair.Written))} | {Cell(pair.Spoken)} | "
                + string.Join(" | ", heldOutResults.Select(r => $"{r.Pairs[i].Raw} → {r.Pairs[i].Normalised}")) + " |");
        }
        report.WriteLine();
    }

    private static List<VoiceResult> Measure(List<(string Voice, string Unit, Func<string, IReadOnlyList<string>> Phonemes)> readers, List<Pair> pairs)
    {
        var results = new List<VoiceResult>();
        foreach ((string voice, string unit, Func<string, IReadOnlyList<string>> phonemes) in readers)
        {
            var result = new VoiceResult(voice, unit);
            foreach (Pair pair in pairs)
            {
                IReadOnlyList<string> expected = phonemes(pair.Spoken);
                int raw = EditDistance(phonemes(pair.Written), expected);
                int normalised = EditDistance(phonemes(EnglishFrontEnd.Default.Normalize(pair.Written)), expected);
                result.Add(pair.Kind, expected.Count, raw, normalised);
            }
            results.Add(result);
        }
        return results;
    }

    private void WriteTable(List<VoiceResult> results)
    {
        report.WriteLine("Phoneme error rate against the engine's reading of the expected spoken text (lower is better).");
        report.WriteLine();
        report.WriteLine("| Voice (phonemes) | raw written text | normalised text | pairs better normalised | pairs better raw | pairs equal |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (VoiceResult r in results)
        {
            report.WriteLine($"| {r.Voice} ({r.Unit}) | {r.Rate(r.Raw):P1} | {r.Rate(r.Normalised):P1} | {r.BetterNormalised} | {r.BetterRaw} | {r.Equal} |");
        }
        report.WriteLine();
    }

    /// <summary>Text for a Markdown table cell: a pipe would end the cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private sealed record Pair(string Kind, string Written, string Spoken);

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
        /// <summary>Each pair's errors in corpus order, for listing the pairs the normaliser gets wrong.</summary>
        public List<(int Raw, int Normalised)> Pairs { get; } = [];

        public void Add(string kind, int length, int raw, int normalised)
        {
            Pairs.Add((raw, normalised));
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

    /// <summary>A corpus file (english.tsv's columns); a relative path is from the repository root bench/run.sh changes to.</summary>
    private static List<Pair> LoadCorpus(string path)
    {
        var pairs = new List<Pair>();
        foreach (string line in File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1))
        {
            string[] fields = line.Split('\t');
            pairs.Add(new Pair(fields[1], fields[2], fields[3]));
        }
        return pairs;
    }
}
