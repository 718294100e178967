using Voxgate.MiniMax;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Synthesis;

/// <summary>Word timings and subtitles index the caller's text across the cut of a stream's first segment.</summary>
public class FirstSegmentTimingTests
{
    private const string Text = "The old lighthouse stood at the edge of the harbour. Children gathered on the quay, watching.";

    private static SpeechRequest Request(string voice, bool streamed) =>
        new() { Model = "tts-1", Voice = voice, Input = Text, Format = AudioFormat.Pcm, Streamed = streamed };

    [Fact]
    public async Task EngineWordsIndexTheSameTextCutOrNot()
    {
        Assert.Equal(SegmentCut.Word, SpeechServices.Get<SpeechPlanner>().Plan(Request("espeak:en-us", true)).Text.Segments[0].Cut);
        (_, SpeechSummary summary, List<SegmentTiming> cut) = await SpeechServices.SynthesizeAsync(Request("espeak:en-us", true));
        (_, _, List<SegmentTiming> whole) = await SpeechServices.SynthesizeAsync(Request("espeak:en-us", false));

        WordSpan[] words = [.. cut.SelectMany(s => s.Words)];
        Assert.Equal(whole.SelectMany(s => s.Words).Select(w => (w.TextStart, w.TextLength)), words.Select(w => (w.TextStart, w.TextLength)));
        Assert.Equal(["The", "old", "lighthouse", "stood", "at"], words[..5].Select(w => Text.Substring(w.TextStart, w.TextLength)));
        Assert.All(words, w => Assert.Matches(@"^\w+$", Text.Substring(w.TextStart, w.TextLength)));
        Assert.True(words.Zip(words.Skip(1)).All(p => p.First.Start < p.Second.Start), "word times out of order");
        Assert.All(cut, s => Assert.All(s.Words, w => Assert.InRange(w.Start, s.Start, s.End)));
        Assert.True(words[^1].Start < summary.AudioDuration);
    }

    [Theory]
    [InlineData("espeak:en-us")] // the engine's own word times
    [InlineData("flite:slt")] // word times shared out by length
    public async Task SubtitlesKeepOneEntryPerSentenceAcrossTheCut(string voice)
    {
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(Request(voice, true));
        Assert.Equal(3, plan.Text.Segments.Count); // two sentences, the first cut in two
        (_, SpeechSummary summary, List<SegmentTiming> segments) = await SpeechServices.SynthesizeAsync(Request(voice, true));
        List<SubtitleEntry> subtitles = MiniMaxDocuments.Subtitles(plan.Text, segments, summary.AudioDuration, words: true);
        SpeechPlan wholePlan = SpeechServices.Get<SpeechPlanner>().Plan(Request(voice, false));
        (_, SpeechSummary wholeSummary, List<SegmentTiming> wholeSegments) = await SpeechServices.SynthesizeAsync(Request(voice, false));
        List<SubtitleEntry> uncut = MiniMaxDocuments.Subtitles(wholePlan.Text, wholeSegments, wholeSummary.AudioDuration, words: true);

        Assert.Equal(["The old lighthouse stood at the edge of the harbour.", "Children gathered on the quay, watching."], subtitles.Select(s => s.Text));
        Assert.All(subtitles, s => Assert.Equal(s.Text, Text[s.TextBegin..s.TextEnd]));
        Assert.Equal(0, subtitles[0].TimeBegin);
        Assert.True(subtitles[0].TimeEnd <= subtitles[1].TimeBegin);
        Assert.Equal(uncut.Select(s => (s.Text, s.TextBegin, s.TextEnd)), subtitles.Select(s => (s.Text, s.TextBegin, s.TextEnd)));
        SubtitleWord[] words = [.. subtitles.SelectMany(s => s.TimestampedWords!)];
        Assert.Equal(uncut.SelectMany(s => s.TimestampedWords!).Select(w => (w.Word, w.WordBegin, w.WordEnd)), words.Select(w => (w.Word, w.WordBegin, w.WordEnd)));
        Assert.Equal(["The", "old", "lighthouse", "stood", "at"], words[..5].Select(w => w.Word));
        Assert.All(words, w => Assert.Equal(w.Word, Text[w.WordBegin..w.WordEnd]));
        Assert.True(words.Zip(words.Skip(1)).All(p => p.First.TimeEnd <= p.Second.TimeBegin + 1), "word times overlap");
        Assert.All(subtitles, s => Assert.All(s.TimestampedWords!, w => Assert.InRange(w.TimeBegin, s.TimeBegin, s.TimeEnd)));
    }
}
