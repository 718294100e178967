using Microsoft.Extensions.Options;
using Voxgate.Speech.Text;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Tests.Text;

/// <summary>The spoken text indexes back to the caller's: every spoken word maps to what was written.</summary>
public class TextAlignmentTests
{
    private static (int Start, int End) Map(TextAlignment alignment, string spoken, string word)
    {
        int at = spoken.IndexOf(word, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{word}' is not in '{spoken}'");
        return alignment.ToSource(at, at + word.Length);
    }

    [Fact]
    public void EachSpokenWordMapsToWhatWasWritten()
    {
        const string written = "Pay $4.2 million by March 3, 1998, Dr. Smith.";
        (string spoken, TextAlignment alignment) = EnglishFrontEnd.Default.Read(written);
        Assert.Equal("Pay four point two million dollars by March third, nineteen ninety-eight, Doctor Smith.", spoken);
        string Source(string word) { (int s, int e) = Map(alignment, spoken, word); return written[s..e]; }
        Assert.Equal("Pay", Source("Pay"));
        Assert.Equal("$4.2 million", Source("point two"));
        Assert.Equal("$4.2 million", Source("four point two million dollars"));
        Assert.Equal("by", Source("by"));
        Assert.Equal("March 3, 1998", Source("nineteen"));
        Assert.Equal("Dr.", Source("Doctor"));
        Assert.Equal("Smith.", Source("Smith."));
        Assert.Equal((0, written.Length), alignment.ToSource(0, spoken.Length));
    }

    [Fact]
    public void ASpaceKeptBetweenARewrittenNumberAndLettersBelongsToTheNumber()
    {
        (string spoken, TextAlignment alignment) = EnglishFrontEnd.Default.Read("MP3 player");
        Assert.Equal("MP three player", spoken);
        Assert.Equal((2, 3), Map(alignment, spoken, " three"));
        Assert.Equal((0, 2), Map(alignment, spoken, "MP"));
        Assert.Equal((4, 10), Map(alignment, spoken, "player"));
    }

    [Fact]
    public void NormalisationThenADictionaryStillMapsToTheCallersText()
    {
        var preparer = new TextPreparer(Options.Create(new TextOptions()));
        PronunciationRule rule = PronunciationRule.Parse("dollars/bucks", "pronunciation_dict");
        const string input = "It costs $20 <#0.5#> for Dr. Who.";
        PreparedText prepared = preparer.Prepare(input, new TextPreparation(ExpandForSpeech: true, Pronunciations: [rule]));
        Assert.Equal("It costs twenty bucks  for Doctor Who.", prepared.Text); // the spaces around a marker are kept, as before
        Assert.Equal(input, prepared.Source);
        foreach ((string spokenWord, string writtenWord) in new[] { ("twenty bucks", "$20"), ("bucks", "$20"), ("Doctor", "Dr."), ("Who.", "Who."), ("It", "It") })
        {
            int at = prepared.Text.IndexOf(spokenWord, StringComparison.Ordinal);
            (int start, int end) = prepared.SourceSpan(at, spokenWord.Length);
            Assert.Equal(writtenWord, prepared.Source[start..end]);
        }
        // Each segment is a sentence of the caller's text, the pause marker between them left out.
        string[] sentences = [.. prepared.Segments.Where(s => !s.IsPause).Select(s => { (int a, int b) = prepared.SourceSpan(s.Start, s.Length); return prepared.Source[a..b]; })];
        Assert.Equal(["It costs $20", "for Dr. Who."], sentences);
    }

    [Fact]
    public void TheDictionaryAppliesToTheNormalisedWordsAndToWrittenFormsTheNormaliserWouldChange()
    {
        var preparer = new TextPreparer(Options.Create(new TextOptions()));
        PronunciationRule[] rules =
        [
            PronunciationRule.Parse("Voxgate/Vox gate", "pronunciation_dict"), // a word the normaliser leaves alone
            PronunciationRule.Parse("Doctor/Doc", "pronunciation_dict"), // a word the normaliser writes (Dr. → Doctor)
            PronunciationRule.Parse("R&D/research and development", "pronunciation_dict"), // a written form it would read "R and D"
            PronunciationRule.Parse("COVID-19/covid nineteen", "pronunciation_dict"),
        ];
        const string input = "Dr. Lee runs R&D at Voxgate since 2019, after COVID-19 hit 3 labs.";
        PreparedText prepared = preparer.Prepare(input, new TextPreparation(ExpandForSpeech: true, Pronunciations: rules));
        Assert.Equal("Doc Lee runs research and development at Vox gate since twenty nineteen, after covid nineteen hit three labs.", prepared.Text);
        foreach ((string spokenWord, string writtenWord) in new[]
        {
            ("Doc", "Dr."), ("research and development", "R&D"), ("development", "R&D"), ("Vox gate", "Voxgate"),
            ("twenty nineteen", "2019"), ("covid nineteen", "COVID-19"), ("three", "3"), ("labs.", "labs."),
        })
        {
            int at = prepared.Text.IndexOf(spokenWord, StringComparison.Ordinal);
            (int start, int end) = prepared.SourceSpan(at, spokenWord.Length);
            Assert.Equal(writtenWord, prepared.Source[start..end]);
        }
        // Billed as the caller's text with the replacements, each counted once.
        int growth = ("Vox gate".Length - "Voxgate".Length) + ("Doc".Length - "Doctor".Length)
            + ("research and development".Length - "R&D".Length) + ("covid nineteen".Length - "COVID-19".Length);
        Assert.Equal(input.Length + growth, prepared.Characters);
    }

    [Fact]
    public void AnEntryForAWordTheReadingKeepsAppliesAfterTheReading()
    {
        // "million" is inside the money reading "$4.2 million" but survives it: the entry applies to the words read, so
        // the amount is still read whole (not "$4.2" apart from the replacement).
        var preparer = new TextPreparer(Options.Create(new TextOptions()));
        PreparedText prepared = preparer.Prepare("It cost $4.2 million.",
            new TextPreparation(ExpandForSpeech: true, Pronunciations: [PronunciationRule.Parse("million/mil", "pronunciation_dict")]));
        Assert.Equal("It cost four point two mil dollars.", prepared.Text);
    }

    [Fact]
    public void WithoutNormalisationTheSpokenTextIsTheCallersText()
    {
        var preparer = new TextPreparer(Options.Create(new TextOptions()));
        PreparedText prepared = preparer.Prepare("It costs $20. Really.");
        Assert.Same(TextAlignment.Identity, prepared.Alignment);
        Assert.Equal((13, 20), prepared.SourceSpan(13, 7));
    }
}
