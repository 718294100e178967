using Voxgate.Speech.Text;

namespace Voxgate.Tests.Text;

public class SentenceSplitterTests
{
    private static List<string> Split(string text, int max = 300) =>
        new SentenceSplitter(max).Split(text).Select(r => text.Substring(r.Start, r.Length)).ToList();

    [Fact]
    public void SplitsAtSentenceEnds()
    {
        Assert.Equal(["Hello there.", "How are you?", "Fine!"], Split("Hello there. How are you? Fine!"));
    }

    [Fact]
    public void KeepsAbbreviationsInitialsDecimalsAndLowerCaseContinuations()
    {
        Assert.Equal(["Dr. Smith met J. R. R. Tolkien at 3.14 p.m. on Main St. today.", "Then he left."],
            Split("Dr. Smith met J. R. R. Tolkien at 3.14 p.m. on Main St. today. Then he left."));
        Assert.Equal(["Use e.g. this one.", "Done."], Split("Use e.g. this one. Done."));
    }

    [Fact]
    public void ClosingQuotesStayWithTheirSentence()
    {
        Assert.Equal(["He said \"stop.\"", "She didn't."], Split("He said \"stop.\" She didn't."));
    }

    [Fact]
    public void LineBreaksEndSentences()
    {
        Assert.Equal(["Title", "First line", "Second line."], Split("Title\nFirst line\nSecond line."));
    }

    [Fact]
    public void SplitsCjkWithoutSpaces()
    {
        Assert.Equal(["你好。", "今天天气很好！", "对吗？"], Split("你好。今天天气很好！对吗？"));
    }

    [Fact]
    public void DropsPiecesWithNothingToSay()
    {
        Assert.Equal(["Real words."], Split("... !!! Real words. ???"));
    }

    [Fact]
    public void CutsLongSentencesAtClausesThenSpacesAndNeverExceedsTheLimit()
    {
        string clause = string.Join(", ", Enumerable.Repeat("one two three four five", 20)) + ".";
        List<string> pieces = Split(clause, max: 60);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, 60));
        Assert.All(pieces[..^1], p => Assert.EndsWith(",", p));
        Assert.Equal(clause.Replace(" ", ""), string.Concat(pieces).Replace(" ", ""));

        string words = string.Join(" ", Enumerable.Repeat("word", 100));
        Assert.All(Split(words, max: 50), p => Assert.InRange(p.Length, 1, 50));

        string noSpaces = new('x', 130);
        Assert.Equal([50, 50, 30], Split(noSpaces, max: 50).Select(p => p.Length));
    }

    [Fact]
    public void NeverCutsASurrogatePair()
    {
        string emoji = string.Concat(Enumerable.Repeat("a\uD83D\uDE00", 40));
        foreach (string piece in Split(emoji, max: 25))
        {
            Assert.False(char.IsHighSurrogate(piece[^1]));
            Assert.False(char.IsLowSurrogate(piece[0]));
        }
    }

    [Fact]
    public void PreparerKeepsOffsetsIntoTheNormalisedText()
    {
        var preparer = new TextPreparer(Microsoft.Extensions.Options.Options.Create(new TextOptions()));
        PreparedText prepared = preparer.Prepare("  First   one.\r\n\u200BSecond one!  ");
        Assert.Equal("First one.\nSecond one!", prepared.Text);
        Assert.Equal(["First one.", "Second one!"], prepared.Segments.Select(s => s.Text));
        Assert.All(prepared.Segments, s => Assert.Equal(s.Text, prepared.Text.Substring(s.Start, s.Length)));
        Assert.Equal(1, prepared.InvisibleCharacters);
        Assert.Equal(30, prepared.Characters);
    }
}
