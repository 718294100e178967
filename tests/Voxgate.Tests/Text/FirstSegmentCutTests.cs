using Microsoft.Extensions.Options;
using Voxgate.Speech.Text;

namespace Voxgate.Tests.Text;

public class FirstSegmentCutTests
{
    private static readonly TextPreparer s_preparer = new(Options.Create(new TextOptions()));

    private static PreparedText Prepare(string input, int words = 3) => s_preparer.Prepare(input, new TextPreparation(FirstSegmentWords: words));

    /// <summary>What each segment indexes in the prepared text, and what its engine is given.</summary>
    private static List<(string Indexed, string Spoken, SegmentCut Cut)> Segments(PreparedText text) =>
        [.. text.Segments.Select(s => (text.Text.Substring(s.Start, s.Length), s.Text, s.Cut))];

    [Fact]
    public void AClauseBoundaryWithinTheWordsEndsTheFirstSegment()
    {
        Assert.Equal(
            [("Every evening,", "Every evening,", SegmentCut.Clause), ("the keeper climbed the stairs.", "the keeper climbed the stairs.", SegmentCut.None), ("Then he slept.", "Then he slept.", SegmentCut.None)],
            Segments(Prepare("Every evening, the keeper climbed the stairs. Then he slept.")));
        Assert.Equal(SegmentCut.Clause, Prepare("Yes; he did it again.").Segments[0].Cut);
        Assert.Equal(SegmentCut.Clause, Prepare("He said: come back tomorrow.").Segments[0].Cut);
        Assert.Equal("The keeper —", Segments(Prepare("The keeper — a tall man — climbed the stairs."))[0].Indexed);
    }

    [Fact]
    public void WithoutOneTheFirstSegmentEndsAfterTheWordsWithACommaForTheEngineOnly()
    {
        PreparedText text = Prepare("The old lighthouse stood at the edge of the harbour, its paint peeling.");
        Assert.Equal(
            [("The old lighthouse", "The old lighthouse,", SegmentCut.Word), ("stood at the edge of the harbour, its paint peeling.", "stood at the edge of the harbour, its paint peeling.", SegmentCut.None)],
            Segments(text));
        // The comma after "harbour" is beyond the first three words; "3,000" and "10:30" are no clause boundaries.
        Assert.Equal("3,000 people came", Segments(Prepare("3,000 people came to the harbour today."))[0].Indexed);
        // A head never ends on a word that leans on the next.
        Assert.Equal("At 10:30", Segments(Prepare("At 10:30 the boats came home."))[0].Indexed);
        Assert.Equal("He walked", Segments(Prepare("He walked to the harbour at dawn."))[0].Indexed);
    }

    [Fact]
    public void NothingIsCutThatWouldLeaveAWordAloneOrStartsWithAPause()
    {
        Assert.Single(Prepare("Good morning dear friend.").Segments);
        Assert.Single(Prepare("Hello.").Segments);
        Assert.Equal(2, Prepare("<#1#> The old lighthouse stood at the edge of the harbour.").Segments.Count); // the pause, the whole sentence
        Assert.Equal(SegmentCut.None, Prepare("<#1#> The old lighthouse stood at the edge of the harbour.").Segments[1].Cut);
        Assert.Single(Prepare("The old lighthouse stood at the edge of the harbour.", words: 0).Segments);
    }

    [Fact]
    public void CjkIsCutAtItsClauseMarks() =>
        Assert.Equal(["今天天气很好，", "我们去公园散步吧。"], Segments(Prepare("今天天气很好，我们去公园散步吧。")).Select(s => s.Indexed));

    [Fact]
    public void PhonemeMarkupIsOneWordAndNeverCut()
    {
        // As the pronunciation dictionary renders it for an engine that takes phonemes.
        Assert.Equal((16, SegmentCut.Word), FirstSegmentCut.Find("Say [[h @ l oU]] to everyone in the room.", 3));
        Assert.Equal((17, SegmentCut.Clause), FirstSegmentCut.Find("Say [[h @ l oU]], to everyone in the room.", 3));
        Assert.Null(FirstSegmentCut.Find("Say [[h @ l oU to everyone in the room.", 3));
    }

    [Fact]
    public void TheCutMovesNothingBillableAndKeepsEveryIndex()
    {
        const string input = "The old lighthouse stood at the edge of the harbour. <#0.5#> Children gathered on the quay, watching.";
        PreparedText whole = Prepare(input, words: 0), cut = Prepare(input);
        Assert.Equal((whole.Text, whole.Characters, whole.InputCharacters), (cut.Text, cut.Characters, cut.InputCharacters));
        Assert.Equal(whole.SpokenCharacters - 1, cut.SpokenCharacters); // the space at the cut is spoken by neither piece
        Assert.Equal(whole.Segments.Count + 1, cut.Segments.Count);
        Assert.Equal(Enumerable.Range(0, cut.Segments.Count), cut.Segments.Select(s => s.Index));
        // The two pieces cover the first sentence exactly (one space between them); the rest is as it was.
        Assert.Equal(whole.Segments[0].Start, cut.Segments[0].Start);
        Assert.Equal(whole.Segments[0].Start + whole.Segments[0].Length, cut.Segments[1].Start + cut.Segments[1].Length);
        Assert.Equal(cut.Segments[0].Start + cut.Segments[0].Length + 1, cut.Segments[1].Start);
        Assert.Equal(whole.Segments.Skip(1).Select(s => (s.Start, s.Length, s.Text, s.Pause)), cut.Segments.Skip(2).Select(s => (s.Start, s.Length, s.Text, s.Pause)));
    }
}
