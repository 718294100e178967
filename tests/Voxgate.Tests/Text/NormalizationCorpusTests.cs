using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Tests.Text;

/// <summary>
/// The public corpus (<c>Text/Corpus/*.tsv</c>): every written → spoken pair is a case of its own, read by the
/// normaliser alone, so a failure names the sentence, its kind and both readings.
/// </summary>
public class NormalizationCorpusTests
{
    public sealed record CorpusPair(string Language, string Kind, string Written, string Spoken)
    {
        public override string ToString() => $"[{Language} {Kind}] {Written}";
    }

    private static readonly string s_directory = Path.Combine(AppContext.BaseDirectory, "Text", "Corpus");

    public static List<CorpusPair> Load(string file)
    {
        var pairs = new List<CorpusPair>();
        bool header = true;
        foreach (string line in File.ReadLines(Path.Combine(s_directory, file)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (header)
            {
                Assert.Equal("language\tkind\twritten\tspoken", line);
                header = false;
                continue;
            }
            string[] fields = line.Split('\t');
            Assert.True(fields.Length == 4, $"{file}: a row has {fields.Length} columns, not 4: {line}");
            pairs.Add(new CorpusPair(fields[0], fields[1], fields[2], fields[3]));
        }
        return pairs;
    }

    /// <summary>Strings, so that each pair is a test case of its own in every runner.</summary>
    public static TheoryData<string, string, string> English()
    {
        var data = new TheoryData<string, string, string>();
        foreach (CorpusPair pair in Load("english.tsv"))
        {
            data.Add(pair.Kind, pair.Written, pair.Spoken);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(English))]
    public void EachEnglishPairIsReadAsACarefulReaderSaysIt(string kind, string written, string expected)
    {
        string spoken = EnglishFrontEnd.Default.Normalize(written);
        Assert.True(expected == spoken, $"[{kind}] {written}\n  expected: {expected}\n  got:      {spoken}");
    }

    [Fact]
    public void TheEnglishCorpusCoversEveryKindWithAtLeast250Pairs()
    {
        List<CorpusPair> pairs = Load("english.tsv");
        Assert.True(pairs.Count >= 250, $"{pairs.Count} pairs");
        Assert.All(pairs, p => Assert.Equal("en", p.Language));
        string[] kinds =
        [
            "cardinal", "ordinal", "decimal", "negative", "range", "percent", "money", "year", "date", "time", "telephone",
            "fraction", "unit", "abbreviation", "roman", "url", "symbol", "mixed", "identifier", "address", "dimension",
        ];
        Assert.Equal(kinds.Order(), pairs.Select(p => p.Kind).Distinct().Order());
        Assert.All(kinds, kind => Assert.True(pairs.Count(p => p.Kind == kind) >= 7, $"few pairs of kind {kind}"));
        Assert.Equal(pairs.Count, pairs.Select(p => p.Written).Distinct().Count());
    }

    public static TheoryData<string, string, string> Chinese()
    {
        var data = new TheoryData<string, string, string>();
        foreach (CorpusPair pair in Load("chinese.tsv"))
        {
            data.Add(pair.Kind, pair.Written, pair.Spoken);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Chinese))]
    public void EachChinesePairIsReadAsACarefulReaderSaysIt(string kind, string written, string expected)
    {
        Assert.True(ChineseFrontEnd.Reads(null, written), $"[{kind}] {written} is not taken for Chinese");
        string spoken = ChineseFrontEnd.Default.Normalize(written);
        Assert.True(expected == spoken, $"[{kind}] {written}\n  expected: {expected}\n  got:      {spoken}");
    }

    [Fact]
    public void TheChineseCorpusCoversEveryKindWithAtLeast100Pairs()
    {
        List<CorpusPair> pairs = Load("chinese.tsv");
        Assert.True(pairs.Count >= 100, $"{pairs.Count} pairs");
        Assert.All(pairs, p => Assert.Equal("zh", p.Language));
        string[] kinds =
        [
            "cardinal", "ordinal", "decimal", "negative", "range", "percent", "money", "year", "date", "time", "telephone",
            "fraction", "unit", "mixed", "fullwidth", "score", "racetime", "name",
        ];
        Assert.Equal(kinds.Order(), pairs.Select(p => p.Kind).Distinct().Order());
        Assert.All(kinds, kind => Assert.True(pairs.Count(p => p.Kind == kind) >= 5, $"few pairs of kind {kind}"));
        Assert.Equal(pairs.Count, pairs.Select(p => p.Written).Distinct().Count());
    }
}
