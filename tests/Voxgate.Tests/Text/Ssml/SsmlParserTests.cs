using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Speech.Text.Ssml;

namespace Voxgate.Tests.Text.Ssml;

/// <summary>What is SSML, what the parser reads out of a document, and what it refuses (with the line and column).</summary>
public class SsmlParserTests
{
    [Theory]
    [InlineData("<speak>Hi</speak>", true)]
    [InlineData("  \n<speak version=\"1.0\">Hi</speak>", true)]
    [InlineData("<?xml version=\"1.0\"?>\n<speak>Hi</speak>", true)]
    [InlineData("\uFEFF<speak/>", true)]
    [InlineData("<speaker>Hi</speaker>", false)]
    [InlineData("Say <speak>Hi</speak>", false)]
    [InlineData("<#0.5#> Hello", false)]
    [InlineData("<p>Hello</p>", false)]
    [InlineData("speak", false)]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY a \"b\">]><speak>&a;</speak>", true)]
    [InlineData("<!DOCTYPE html><p>Hi</p>", false)]
    public void OnlyADocumentRootedInSpeakIsSsml(string input, bool ssml) => Assert.Equal(ssml, SsmlDocument.IsSsml(input));

    [Fact]
    public void TextBreaksAndBoundariesComeOutInDocumentOrder()
    {
        SsmlDocument document = SsmlParser.Parse(
            "<speak xml:lang=\"en-US\"><p><s>One <break time=\"500ms\"/>two</s></p><break strength=\"x-strong\"/><break time=\"2s\"/>three</speak>");

        Assert.Equal("en-US", document.Language);
        Assert.Equal<SsmlNode>(
        [
            new SsmlBoundary(true), new SsmlBoundary(false), new SsmlText("One ", SegmentStyle.Default), new SsmlBreak(TimeSpan.FromMilliseconds(500)),
            new SsmlText("two", SegmentStyle.Default), new SsmlBoundary(false), new SsmlBoundary(true), new SsmlBreak(TimeSpan.FromSeconds(1)),
            new SsmlBreak(TimeSpan.FromSeconds(2)), new SsmlText("three", SegmentStyle.Default),
        ], document.Nodes);
    }

    [Fact]
    public void ProsodyEmphasisVoiceAndLangNestIntoTheStyle()
    {
        SsmlDocument document = SsmlParser.Parse(
            "<speak><voice name=\"espeak:en-gb\"><prosody rate=\"150%\" pitch=\"+2st\" volume=\"+6dB\"><lang xml:lang=\"fr\">" +
            "<emphasis level=\"strong\">oui</emphasis></lang></prosody></voice></speak>");

        SsmlText text = Assert.IsType<SsmlText>(Assert.Single(document.Nodes));
        Assert.Equal("espeak:en-gb", text.Style.VoiceName);
        Assert.Equal("fr", text.Style.Language);
        Assert.Equal(1.5 * 0.9, text.Style.Rate, 6);
        Assert.Equal(2, text.Style.PitchSemitones, 6);
        Assert.Equal(Math.Pow(10, 6 / 20.0) * 1.4, text.Style.Volume, 6);
    }

    [Fact]
    public void SayAsSubAndPhonemeTakeTheirWholeTextWithTheirReading()
    {
        SsmlDocument document = SsmlParser.Parse(
            "<speak><say-as interpret-as=\"Cardinal\">1<mark name=\"m\"/>23</say-as><sub alias=\"World Wide Web\">WWW</sub>" +
            "<phoneme alphabet=\"x-sampa\" ph=\"t@&quot;meIt@U\">tomato</phoneme><say-as interpret-as=\"unknown-thing\">as is</say-as></speak>");

        Assert.Equal<SsmlNode>(
        [
            new SsmlText("123", SegmentStyle.Default, new SayAs("cardinal")),
            new SsmlText("WWW", SegmentStyle.Default, new Substitute("World Wide Web")),
            new SsmlText("tomato", SegmentStyle.Default, new Phoneme(new PhoneticSpelling(PhoneticAlphabet.Ipa, "təˈmeɪtəʊ"))),
            new SsmlText("as is", SegmentStyle.Default),
        ], document.Nodes);
    }

    [Fact]
    public void UnknownElementsAreReadAsTheirText()
    {
        SsmlDocument document = SsmlParser.Parse("<speak><audio src=\"x.wav\">a <foo:bar xmlns:foo=\"urn:x\">b</foo:bar></audio> c</speak>");
        Assert.Equal("a b c", string.Concat(document.Nodes.OfType<SsmlText>().Select(t => t.Text)));
    }

    [Theory]
    [InlineData("<speak>Hello <break time=\"500ms\"></speak>", 1, 36)]
    [InlineData("<speak>\n  Hello &nope; there\n</speak>", 2, 10)]
    [InlineData("<speak>\n<break time=\"fast\"/></speak>", 2, 2)]
    [InlineData("<speak>\n\n  <prosody rate=\"zippy\">x</prosody></speak>", 3, 4)]
    [InlineData("<speak><sub>x</sub></speak>", 1, 9)]
    [InlineData("<speak><phoneme alphabet=\"arpabet\" ph=\"T\">x</phoneme></speak>", 1, 9)]
    [InlineData("<speak><break time=\"100s\"/></speak>", 1, 9)]
    [InlineData("  <speak>a < b</speak>", 1, 13)]
    public void AMalformedDocumentIsRefusedNamingItsLineAndColumn(string input, int line, int column)
    {
        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() => SsmlParser.Parse(input));
        Assert.Equal(SpeechErrorKind.InvalidParameter, refused.Kind);
        Assert.Equal("input", refused.Parameter);
        Assert.True(refused.Message.Contains($"line {line}, column {column}:", StringComparison.Ordinal), refused.Message);
    }

    [Fact]
    public void EntityExpansionIsRefusedBeforeAnythingIsExpanded()
    {
        string laughs = "<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">" +
            "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><speak>&d;</speak>";
        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() => SsmlParser.Parse(laughs));
        Assert.Contains("DOCTYPE", refused.Message);
        Assert.True(refused.Message.Contains("line 1, column 22:", StringComparison.Ordinal), refused.Message);
    }

    [Fact]
    public void ExternalEntitiesAreNeverFetched()
    {
        string secret = Path.Combine(Path.GetTempPath(), $"voxgate-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "the secret");
        try
        {
            string xxe = $"<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY x SYSTEM \"file://{secret}\">]><speak>&x;</speak>";
            SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() => SsmlParser.Parse(xxe));
            Assert.DoesNotContain("the secret", refused.Message);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void ElementsAreBoundedInNumberAndDepth()
    {
        string many = "<speak>" + string.Concat(Enumerable.Repeat("<s>a</s>", SsmlParser.MaxElements)) + "</speak>";
        Assert.Contains($"more than {SsmlParser.MaxElements} elements", Assert.Throws<SpeechRequestException>(() => SsmlParser.Parse(many)).Message);

        string deep = "<speak>" + string.Concat(Enumerable.Repeat("<emphasis>", SsmlParser.MaxDepth)) + "a"
            + string.Concat(Enumerable.Repeat("</emphasis>", SsmlParser.MaxDepth)) + "</speak>";
        Assert.Contains($"more than {SsmlParser.MaxDepth} deep", Assert.Throws<SpeechRequestException>(() => SsmlParser.Parse(deep)).Message);

        string deepEnough = "<speak>" + string.Concat(Enumerable.Repeat("<emphasis>", SsmlParser.MaxDepth - 1)) + "a"
            + string.Concat(Enumerable.Repeat("</emphasis>", SsmlParser.MaxDepth - 1)) + "</speak>";
        Assert.Single(SsmlParser.Parse(deepEnough).Nodes);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("2s", 2)]
    [InlineData("1.25s", 1.25)]
    [InlineData(" 750ms ", 0.75)]
    public void BreakTimesAreMillisecondsOrSeconds(string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SsmlValues.BreakTime(value));

    [Theory]
    [InlineData("2")]
    [InlineData("-1s")]
    [InlineData("1e3ms")]
    [InlineData("NaNs")]
    [InlineData("fast")]
    public void ABreakTimeWithoutAUnitOrNumberIsNotOne(string value) => Assert.Null(SsmlValues.BreakTime(value));

    [Theory]
    [InlineData("x-slow", 0.5)]
    [InlineData("150%", 1.5)]
    [InlineData("+20%", 1.2)]
    [InlineData("-50%", 0.5)]
    [InlineData("0.8", 0.8)]
    public void RatesAreKeywordsFactorsOrPercentages(string value, double factor) => Assert.Equal(factor, SsmlValues.Rate(value)!.Value, 6);

    [Theory]
    [InlineData("+12%", 1.962)]
    [InlineData("-3st", -3)]
    [InlineData("x-high", 4)]
    public void PitchesAreSemitones(string value, double semitones) => Assert.Equal(semitones, SsmlValues.Pitch(value)!.Value, 2);

    [Theory]
    [InlineData("200Hz")]
    [InlineData("3st")]
    [InlineData("-100%")]
    public void APitchThatIsNotRelativeIsNotRead(string value) => Assert.Null(SsmlValues.Pitch(value));
}
