using Voxgate.Speech.Text;

namespace Voxgate.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("  Hello   world  ", "Hello world")]
    [InlineData("Line one\r\nLine two\rLine three", "Line one\nLine two\nLine three")]
    [InlineData("a\n\n\n  b", "a\nb")]
    [InlineData("tab\there", "tab here")]
    [InlineData("zero\u200Bwidth", "zerowidth")]
    [InlineData("\uFEFFbom", "bom")]
    [InlineData("bell\u0007here", "bellhere")]
    [InlineData("cafe\u0301", "café")]
    public void Normalizes(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input, out _));
    }

    [Fact]
    public void CountsWhatItRemoves()
    {
        TextNormalizer.Normalize("a\u200B\u200Cb\u0001\uD800", out int removed);
        Assert.Equal(4, removed);
    }

    [Fact]
    public void KeepsSurrogatePairsAndDropsLoneSurrogates()
    {
        string text = TextNormalizer.Normalize("smile \uD83D\uDE00 lone \uDC00 end \uD800", out int removed);
        Assert.Equal("smile \uD83D\uDE00 lone end", text);
        Assert.Equal(2, removed);
    }

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("\uD83D\uDE00", 1)]
    [InlineData("日本語", 3)]
    [InlineData("", 0)]
    public void CountsCodePoints(string text, int expected) => Assert.Equal(expected, TextMetrics.CountCharacters(text));

    [Theory]
    [InlineData("hello", true)]
    [InlineData("42", true)]
    [InlineData("日本", true)]
    [InlineData("... !!! ???", false)]
    [InlineData("\uD83D\uDE00", false)]
    [InlineData("", false)]
    public void KnowsSpeakableText(string text, bool expected) => Assert.Equal(expected, TextMetrics.HasSpeakableCharacters(text));
}
