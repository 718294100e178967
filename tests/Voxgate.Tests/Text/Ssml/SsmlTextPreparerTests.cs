using Microsoft.Extensions.Options;
using Voxgate.Speech.Text;
using Voxgate.Speech.Text.Ssml;

namespace Voxgate.Tests.Text.Ssml;

/// <summary>How an SSML document becomes the canonical request's prepared text: segments, pauses, styles, billing, offsets.</summary>
public class SsmlTextPreparerTests
{
    private static readonly TextPreparer s_preparer = new(Options.Create(new TextOptions()));

    [Fact]
    public void TheTextContentIsBilledAndShownNotTheMarkup()
    {
        const string ssml = "<speak>\n  <p>Hello <break time=\"1s\"/>there.</p>\n  <p><emphasis>How</emphasis> are you?</p>\n</speak>";
        PreparedText prepared = s_preparer.Prepare(ssml);
        PreparedText plain = s_preparer.Prepare("Hello there. How are you?");

        Assert.Equal("Hello there. How are you?", prepared.Source);
        Assert.Equal(plain.Characters, prepared.Characters);
        Assert.Equal(TimeSpan.FromSeconds(1) + SsmlTextPreparer.ParagraphPause, prepared.Pauses);
    }

    [Fact]
    public void BreaksBecomePauseSegmentsBetweenTheSpeech()
    {
        PreparedText prepared = s_preparer.Prepare("<speak>One. <break time=\"1500ms\"/>Two.</speak>");
        Assert.Collection(prepared.Segments,
            s => Assert.Equal("One.", s.Text),
            s => Assert.Equal(TimeSpan.FromSeconds(1.5), s.Pause),
            s => Assert.Equal("Two.", s.Text));
    }

    [Fact]
    public void SayAsReadsTheTokenAsAskedAndMapsItsWordsBackToWhatWasWritten()
    {
        PreparedText cardinal = s_preparer.Prepare("<speak>Call <say-as interpret-as=\"cardinal\">1234</say-as> now.</speak>");
        PreparedText digits = s_preparer.Prepare("<speak>Call <say-as interpret-as=\"digits\">1234</say-as> now.</speak>");
        PreparedText spelled = s_preparer.Prepare("<speak><say-as interpret-as=\"characters\">ab1</say-as></speak>");

        Assert.Equal("Call one thousand two hundred thirty-four now.", cardinal.Text);
        Assert.Equal("Call one two three four now.", digits.Text);
        Assert.Equal("A B one", spelled.Text);
        int word = digits.Text.IndexOf("two", StringComparison.Ordinal);
        (int start, int end) = digits.SourceSpan(word, 3);
        Assert.Equal("1234", digits.Source[start..end]);
        (start, end) = digits.SourceSpan(digits.Text.IndexOf("now", StringComparison.Ordinal), 3);
        Assert.Equal("now", digits.Source[start..end]);
        Assert.Equal(cardinal.Characters, digits.Characters);
    }

    [Fact]
    public void AnAliasIsSpokenAndBilledLikeADictionaryReplacement()
    {
        PreparedText prepared = s_preparer.Prepare("<speak>The <sub alias=\"World Wide Web Consortium\">W3C</sub> met.</speak>");
        Assert.Equal("The World Wide Web Consortium met.", prepared.Text);
        Assert.Equal("The W3C met.", prepared.Source);
        Assert.Equal(prepared.Text.Length, prepared.Characters);
        (int start, int end) = prepared.SourceSpan(prepared.Text.IndexOf("Wide", StringComparison.Ordinal), 4);
        Assert.Equal("W3C", prepared.Source[start..end]);
    }

    [Fact]
    public void APhonemeIsRenderedForAnEngineThatTakesPhonemesAndItsTextReadOtherwise()
    {
        const string ssml = "<speak>A <phoneme alphabet=\"ipa\" ph=\"təˈmɑːtəʊ\">tomato</phoneme>.</speak>";
        PreparedText rendered = s_preparer.Prepare(ssml, new TextPreparation(RenderPhonemes: spelling => $"[[{spelling.Value}]]", EngineName: "espeak"));
        PreparedText read = s_preparer.Prepare(ssml);
        Assert.Equal("A [[təˈmɑːtəʊ]].", rendered.Text);
        Assert.Equal("A tomato.", read.Text);
    }

    [Fact]
    public void AStyleChangeInsideASentenceCutsItThereAndCarriesTheStyle()
    {
        PreparedText prepared = s_preparer.Prepare(
            "<speak>I said <prosody rate=\"slow\" volume=\"loud\">no</prosody> to <voice name=\"espeak:en-gb\">them</voice>. Then <lang xml:lang=\"fr\">oui</lang>.</speak>");

        Assert.Equal(
        [
            ("I said", null, SegmentCut.Word),
            ("no", new SegmentStyle(Rate: 0.75, Volume: 1.4), SegmentCut.Word),
            ("to", null, SegmentCut.Word),
            ("them", new SegmentStyle(VoiceName: "espeak:en-gb"), SegmentCut.None),
            ("Then", null, SegmentCut.Word),
            ("oui", new SegmentStyle(Language: "fr"), SegmentCut.None),
        ], prepared.Segments.Select(s => (s.Text.Trim(), s.Style, s.Cut)));
        Assert.Equal("I said no to them. Then oui.", prepared.Source);
    }

    [Fact]
    public void SentencesAndParagraphsEndSegmentsAndParagraphsPauseBetweenThem()
    {
        PreparedText prepared = s_preparer.Prepare("<speak><p><s>First line</s><s>second line</s></p><p>New paragraph</p></speak>");
        Assert.Collection(prepared.Segments,
            s => Assert.Equal("First line", s.Text),
            s => Assert.Equal("second line", s.Text),
            s => Assert.Equal(SsmlTextPreparer.ParagraphPause, s.Pause),
            s => Assert.Equal("New paragraph", s.Text));
    }

    [Fact]
    public void NormalisationAndTheDictionaryApplyToOrdinaryTextInADocument()
    {
        var preparation = new TextPreparation(ExpandForSpeech: true, Pronunciations: [PronunciationRule.Parse("Voxgate/Vox gate", "pronunciation_dict")]);
        PreparedText prepared = s_preparer.Prepare("<speak>Voxgate costs $5 &amp; more.</speak>", preparation);
        Assert.Equal("Vox gate costs five dollars and more.", prepared.Text);
        Assert.Equal("Voxgate costs $5 & more.", prepared.Source);
    }

    [Fact]
    public void InvisibleCharactersAreRemovedAndCounted()
    {
        PreparedText prepared = s_preparer.Prepare("<speak>Hel\u200Blo</speak>");
        Assert.Equal("Hello", prepared.Text);
        Assert.Equal(1, prepared.InvisibleCharacters);
    }
}
