using Voxgate.Speech.Text;

namespace Voxgate.Tests.Text;

public class IncrementalTextTests
{
    private static List<string> Feed(IncrementalText text, IEnumerable<string> pieces) => [.. pieces.Select(text.Append).Where(r => r.Length > 0)];

    [Fact]
    public void ASentenceIsReleasedWhenItsEndArrivesAndNotBefore()
    {
        var text = new IncrementalText();
        Assert.Equal("", text.Append("Hello wor"));
        Assert.Equal("", text.Append("ld"));
        Assert.Equal("Hello world.", text.Append("."));
        Assert.Equal("", text.Append(" How are"));
        Assert.Equal(" How are you?", text.Append(" you?"));
        Assert.Equal(" Fine", text.Append(" Fine") + text.Flush());
    }

    [Fact]
    public void AbbreviationsInitialsAndDecimalsDoNotEndASentence()
    {
        var text = new IncrementalText();
        Assert.Empty(Feed(text, ["Dr.", " Smith paid 3", ".", "14 dollars to J.", " R. R", ". Tolkien"]));
        Assert.Equal("Dr. Smith paid 3.14 dollars to J. R. R. Tolkien. ", text.Append(". Next"));
        Assert.Equal("Next", text.Held);
    }

    [Fact]
    public void ALongSentenceIsReleasedAtAClauseAndAnEndlessOneAtASpace()
    {
        var text = new IncrementalText(maxHeldCharacters: 100, clauseCharacters: 60);
        string clause = string.Join(' ', Enumerable.Repeat("word", 14)) + ",";
        Assert.Equal("", text.Append(clause));
        string released = text.Append(" and then some more words");
        Assert.Equal(clause, released);
        var endless = new IncrementalText(maxHeldCharacters: 100, clauseCharacters: 60);
        string ready = string.Concat(Feed(endless, Enumerable.Repeat("many words ", 30)));
        Assert.True(ready.Length >= 200 && endless.Held.Length <= 100, $"{ready.Length} released, {endless.Held.Length} held");
        Assert.All(ready.Split(' ', StringSplitOptions.RemoveEmptyEntries), w => Assert.True(w is "many" or "words", w));
    }

    [Fact]
    public void APauseMarkerIsNeverCutInTwo()
    {
        var text = new IncrementalText(maxHeldCharacters: 20, clauseCharacters: 10);
        string released = string.Concat(Feed(text, ["One two three four five six seven <#0", ".5#> eight nine ten eleven"]));
        string all = released + text.Flush();
        Assert.Contains("<#0.5#>", all);
        Assert.DoesNotContain("<#0", released.Replace("<#0.5#>", ""));
    }
}
