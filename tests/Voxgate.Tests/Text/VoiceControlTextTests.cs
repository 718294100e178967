using Microsoft.Extensions.Options;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;

namespace Voxgate.Tests.Text;

public class VoiceControlTextTests
{
    private static readonly TextPreparer s_preparer = new(Options.Create(new TextOptions()));

    [Fact]
    public void PauseMarkersBecomePauseSegments()
    {
        PreparedText prepared = s_preparer.Prepare("Hello there. <#1.5#> Goodbye now.<#0.25#>Last");
        Assert.Equal(["Hello there.", "", "Goodbye now.", "", "Last"], prepared.Segments.Select(s => s.Text));
        Assert.Equal([0, 1.5, 0, 0.25, 0], prepared.Segments.Select(s => s.Pause.TotalSeconds));
        Assert.True(prepared.HasSpeech);
    }

    [Theory]
    [InlineData("a <#0#> b")]
    [InlineData("a <#100#> b")]
    [InlineData("a <#0.001#> b")]
    public void PausesOutsideTheRangeAreRefused(string text)
    {
        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() => s_preparer.Prepare(text));
        Assert.Contains("0.01 to 99.99", refused.Message);
    }

    [Fact]
    public void TextMadeOnlyOfPausesHasNoSpeech() => Assert.False(s_preparer.Prepare("<#1#> <#2#>").HasSpeech);

    [Theory]
    [InlineData("Omg/Oh my god", "Omg", "Oh my god", null)]
    [InlineData("tomato//təˈmɑːtoʊ/", "tomato", null, "Ipa:təˈmɑːtoʊ")]
    [InlineData("处理/(chu3)(li3)", "处理", null, "ToneSyllables:(chu3)(li3)")]
    [InlineData("AI / artificial intelligence", "AI", "artificial intelligence", null)]
    public void DictionaryEntriesParse(string entry, string original, string? text, string? phonetic)
    {
        PronunciationRule rule = PronunciationRule.Parse(entry, "pronunciation_dict");
        Assert.Equal(original, rule.Original);
        Assert.Equal(text, rule.Text);
        Assert.Equal(phonetic, rule.Phonetic is { } p ? $"{p.Alphabet}:{p.Value}" : null);
    }

    [Theory]
    [InlineData("no slash")]
    [InlineData("/leading")]
    [InlineData("trailing/")]
    public void MalformedEntriesAreRefused(string entry) =>
        Assert.Equal("pronunciation_dict", Assert.Throws<SpeechRequestException>(() => PronunciationRule.Parse(entry, "pronunciation_dict")).Parameter);

    [Fact]
    public void RulesReplaceWholeWordsLongestFirstAndNeverTwice()
    {
        PronunciationRule[] rules =
        [
            PronunciationRule.Parse("NY/New York", "p"),
            PronunciationRule.Parse("NYC/New York City", "p"),
            PronunciationRule.Parse("York/Yorkshire", "p"),
            PronunciationRule.Parse("燕少飞/Yan Shaofei", "p"),
        ];
        Assert.Equal("New York City and New York, not NYCE; Yorkshire. Yan Shaofei来了",
            PronunciationApplier.Apply("NYC and NY, not NYCE; York. 燕少飞来了", rules, null, "flite", out _));
    }

    [Fact]
    public void PhoneticRulesNeedAnEngineThatTakesPhonemes()
    {
        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() =>
            PronunciationApplier.Apply("tomato", [PronunciationRule.Parse("tomato//təˈmɑːtoʊ/", "p")], null, "flite", out _));
        Assert.Contains("engine 'flite' cannot take phonetic spellings", refused.Message);
    }

    [Fact]
    public void UsersDoubleBracketsCannotBecomePhonemeMarkup()
    {
        Assert.Equal("a [b] c [d]", TextNormalizer.Normalize("a [[b]] c [[[d]]]", out _));
    }

    [Fact]
    public void PhonemeMarkupIsNeverSplit()
    {
        string text = "Start [[t@m'A:toU. s'u:p, ta:]] end. Next one.";
        Assert.Equal(["Start [[t@m'A:toU. s'u:p, ta:]] end.", "Next one."],
            new SentenceSplitter(300).Split(text).Select(r => text.Substring(r.Start, r.Length)));
    }

    [Theory]
    [InlineData("təˈmeɪtoʊ", "t@'meItoU")]
    [InlineData("ˈθɪŋk", "'TINk")]
    [InlineData("dʒʌdʒ", "dZVdZ")]
    [InlineData("ˌɪntəˈnæʃənəl", ",Int@'naS@n@l")]
    public void IpaBecomesEspeakMnemonics(string ipa, string espeak) => Assert.Equal(espeak, IpaToEspeak.Convert(ipa));

    [Fact]
    public void UnmappedIpaIsRefusedByName()
    {
        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() => IpaToEspeak.Convert("kʘa"));
        Assert.Contains("'ʘ'", refused.Message);
    }

    [Theory]
    [InlineData("你好，世界", "cmn")]
    [InlineData("こんにちは世界", "ja")]
    [InlineData("日本語のテキスト", "ja")]
    [InlineData("안녕하세요", "ko")]
    [InlineData("Привет, мир", "ru")]
    [InlineData("مرحبا", "ar")]
    [InlineData("Καλημέρα", "el")]
    [InlineData("नमस्ते", "hi")]
    [InlineData("Hello world", null)]
    [InlineData("Hello 世", null)]
    [InlineData("12345", null)]
    public void ScriptsNameTheirLanguage(string text, string? language) => Assert.Equal(language, ScriptDetector.Detect(text));
}
