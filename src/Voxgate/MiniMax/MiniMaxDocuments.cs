using System.Text.RegularExpressions;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;

namespace Voxgate.MiniMax;

/// <summary>MiniMax's <c>extra_info</c>: what was produced and what was billed.</summary>
public sealed record ExtraInfo(
    long AudioLength,
    int AudioSampleRate,
    long AudioSize,
    int Bitrate,
    int WordCount,
    double InvisibleCharacterRatio,
    int UsageCharacters,
    string AudioFormat,
    int AudioChannel)
{
    /// <param name="plan">The plan: its text and output settings.</param>
    public static ExtraInfo From(SpeechPlan plan, SpeechSummary summary) => new(
        (long)Math.Round(summary.AudioDuration.TotalMilliseconds),
        summary.SampleRate,
        summary.AudioBytes,
        summary.Bitrate > 0 ? summary.Bitrate : AverageBitrate(plan, summary),
        MiniMaxDocuments.WordCount(plan.Text.Text),
        Math.Round(plan.Text.InvisibleRatio, 4),
        summary.Characters,
        AudioFormats.Name(summary.Format),
        summary.Channels);

    /// <summary>Formats without a target bitrate (PCM, WAV, FLAC, Opus) report what they produced, on average.</summary>
    private static int AverageBitrate(SpeechPlan plan, SpeechSummary summary) =>
        summary.AudioDuration > TimeSpan.FromMilliseconds(100)
            ? (int)Math.Round(summary.AudioBytes * 8 / summary.AudioDuration.TotalSeconds)
            : plan.Output.SampleRate * plan.Output.Channels * 16;
}

/// <summary>A subtitle entry as MiniMax writes it: times in milliseconds, text offsets into the caller's (cleaned) text.</summary>
public sealed record SubtitleEntry(string Text, long TimeBegin, long TimeEnd, int TextBegin, int TextEnd, IReadOnlyList<SubtitleWord>? TimestampedWords);

public sealed record SubtitleWord(string Word, long TimeBegin, long TimeEnd, int WordBegin, int WordEnd);

public static partial class MiniMaxDocuments
{
    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’-]*")]
    private static partial Regex Word();

    /// <summary>
    /// Pronounced words, as MiniMax counts them: each Chinese, Japanese or Korean character is a word, and so is each
    /// run of letters or digits in other scripts. Punctuation is not.
    /// </summary>
    public static int WordCount(string text)
    {
        int count = 0;
        foreach (Match match in Word().Matches(text))
        {
            int wide = match.Value.Count(IsCjk);
            count += wide + (wide < match.Value.Length ? 1 : 0);
        }
        return count;
    }

    /// <summary>
    /// Subtitles from the synthesis' segment timings, by sentence, and with words' times where asked: the engine's own
    /// word times where it reports them (eSpeak NG), else the segment's time shared out by word length. A sentence
    /// cut in two for a stream's first audio (<see cref="SegmentCut"/>) is still one entry.
    /// </summary>
    public static List<SubtitleEntry> Subtitles(PreparedText text, IReadOnlyList<SegmentTiming> segments, TimeSpan audioDuration, bool words)
    {
        var entries = new List<SubtitleEntry>();
        foreach (SegmentTiming segment in segments)
        {
            if (segment.TextLength == 0)
            {
                continue; // a pause
            }
            TimeSpan end = segment.End < audioDuration ? segment.End : audioDuration;
            (int sourceStart, int sourceEnd) = text.SourceSpan(segment.TextStart, segment.TextLength);
            if (segment.Index > 0 && text.Segments[segment.Index - 1].Cut != SegmentCut.None && entries.Count > 0)
            {
                // The rest of a sentence whose start was cut short for a stream's first audio: one sentence, one entry.
                SubtitleEntry head = entries[^1];
                int textEnd = Math.Max(head.TextEnd, sourceEnd);
                entries[^1] = head with
                {
                    Text = text.Source[head.TextBegin..textEnd],
                    TimeEnd = Milliseconds(end),
                    TextEnd = textEnd,
                    TimestampedWords = words ? JoinRewritten([.. head.TimestampedWords!, .. Words(text, segment, end)]) : null,
                };
                continue;
            }
            entries.Add(new SubtitleEntry(text.Source[sourceStart..sourceEnd], Milliseconds(segment.Start), Milliseconds(end), sourceStart, sourceEnd,
                words ? JoinRewritten(Words(text, segment, end)) : null));
        }
        return entries;
    }

    /// <summary>
    /// A segment's words, as the caller wrote them: each spoken word is mapped back to the caller's text (so
    /// "four point two million dollars" are five spoken words of the one written "$4.2 million").
    /// </summary>
    private static List<SubtitleWord> Words(PreparedText text, SegmentTiming segment, TimeSpan end)
    {
        string sentence = text.Text.Substring(segment.TextStart, segment.TextLength);
        var words = new List<SubtitleWord>();
        if (segment.Words.Count > 0)
        {
            for (int i = 0; i < segment.Words.Count; i++)
            {
                WordSpan word = segment.Words[i];
                TimeSpan wordEnd = i + 1 < segment.Words.Count ? segment.Words[i + 1].Start : end;
                words.Add(Written(text, word.TextStart, word.TextLength, Milliseconds(word.Start), Milliseconds(wordEnd)));
            }
            return words;
        }
        MatchCollection matches = Word().Matches(sentence);
        int letters = matches.Sum(m => m.Length);
        double position = segment.Start.TotalMilliseconds, span = (end - segment.Start).TotalMilliseconds;
        foreach (Match match in matches)
        {
            double length = letters == 0 ? 0 : span * match.Length / letters;
            words.Add(Written(text, segment.TextStart + match.Index, match.Length, (long)Math.Round(position), (long)Math.Round(position + length)));
            position += length;
        }
        return words;
    }

    private static SubtitleWord Written(PreparedText text, int start, int length, long timeBegin, long timeEnd)
    {
        (int sourceStart, int sourceEnd) = text.SourceSpan(start, length);
        return new SubtitleWord(text.Source[sourceStart..sourceEnd], timeBegin, timeEnd, sourceStart, sourceEnd);
    }

    /// <summary>Spoken words that came from the same written stretch become one word, from the first's time to the last's.</summary>
    private static List<SubtitleWord> JoinRewritten(List<SubtitleWord> words)
    {
        var joined = new List<SubtitleWord>(words.Count);
        foreach (SubtitleWord word in words)
        {
            if (joined.Count > 0 && joined[^1].WordBegin == word.WordBegin && joined[^1].WordEnd == word.WordEnd)
            {
                joined[^1] = joined[^1] with { TimeEnd = word.TimeEnd };
                continue;
            }
            joined.Add(word);
        }
        return joined;
    }

    private static long Milliseconds(TimeSpan time) => (long)Math.Round(time.TotalMilliseconds);

    private static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF';
}
