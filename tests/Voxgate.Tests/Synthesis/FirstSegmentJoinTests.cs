using System.Collections.Concurrent;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Tests.Support;
using Xunit.Abstractions;

namespace Voxgate.Tests.Synthesis;

/// <summary>
/// The join where a stream's first segment was cut, heard as a listener would: real engines, the real pipeline, the
/// audio measured by 10 ms RMS windows. The gap must be one of the voice's own comma pauses (measured from its own
/// uncut audio of commas), meet no click, and leave the sentence about as long as uncut.
/// </summary>
public class FirstSegmentJoinTests(ITestOutputHelper output)
{
    /// <summary>Sentences and their commas, for the range of the voice's own comma pauses (they vary with the context).</summary>
    private static readonly (string Text, int Commas)[] s_commas =
    [
        ("The keeper climbed the stairs, counted the steps, and lit the lamp, before the boats came home.", 3),
        ("The old lighthouse stood at the edge of the harbour, its white paint peeling in long strips after a hundred winters.", 1),
        (ClauseFirst.Replace("stairs and lit", "stairs, and lit", StringComparison.Ordinal), 2),
    ];

    private const string ClauseFirst = "Every evening, the keeper climbed the spiral stairs and lit the lamp before the boats came home.";
    private const string WordsFirst = "The old lighthouse stood at the edge of the harbour in the evening light.";

    /// <summary>Two 10 ms windows: the run lengths of the cut and the uncut audio are each quantised to a window.</summary>
    private static readonly TimeSpan s_quantum = TimeSpan.FromMilliseconds(2 * EdgeSilence.WindowMs);

    public static TheoryData<string, SegmentCut> Joins()
    {
        var joins = new TheoryData<string, SegmentCut>();
        foreach (string voice in new[] { "flite:kal16", "flite:slt", "flite:rms", "flite:awb", "flite:kal", "espeak:en-us" })
        {
            joins.Add(voice, SegmentCut.Clause);
            joins.Add(voice, SegmentCut.Word);
        }
        return joins;
    }

    /// <summary>
    /// At a comma the join is one of the voice's own comma pauses; between words it is shorter than its longest (a
    /// third of its usual comma pause, or none where the words' own fades already make that much).
    /// </summary>
    [Theory]
    [MemberData(nameof(Joins))]
    public async Task TheJoinIsTheVoicesOwnPauseWithoutAClick(string voice, SegmentCut cut)
    {
        (TimeSpan shortest, TimeSpan longest) = await CommaPausesAsync(voice);
        Join join = await JoinAsync(voice, cut == SegmentCut.Clause ? ClauseFirst : WordsFirst, cut);
        output.WriteLine($"{voice}, {cut}: commas {shortest.TotalMilliseconds:0}-{longest.TotalMilliseconds:0} ms, join {join.Gap.TotalMilliseconds:0} ms, " +
            $"largest step {join.Steps:0.0000}, duration {join.DurationRatio:0.000} of uncut");
        Assert.InRange(join.Gap, cut == SegmentCut.Clause ? shortest - s_quantum : TimeSpan.Zero, longest + s_quantum);
        Assert.InRange(join.Steps, 0, MaxStep);
        Assert.InRange(join.DurationRatio, 1 - DurationTolerance, 1 + (cut == SegmentCut.Clause ? DurationTolerance : WordCutLengthening));
    }

    /// <summary>The largest sample-to-sample step allowed where silence meets speech (-46 dBFS; a click is tens of dB louder).</summary>
    private const double MaxStep = 0.005;

    /// <summary>How far the whole cut sentence may last from the uncut one.</summary>
    private const double DurationTolerance = 0.05;

    /// <summary>
    /// How much longer a sentence cut between words may last: the head's last word gets the lengthening an engine
    /// gives the end of an utterance (flite:slt ~10% of a 13-word sentence, ~0.4 s; eSpeak NG ~0).
    /// </summary>
    private const double WordCutLengthening = 0.12;

    private sealed record Join(TimeSpan Gap, double Steps, double DurationRatio);

    private static async Task<(float[] Samples, int Rate, SpeechSummary Summary, List<SegmentTiming> Segments)> SpeakAsync(string voice, string text, bool streamed)
    {
        SpeechServices.Get<SpeechEngineRegistry>().TryGetVoice(voice, out VoiceInfo info, out _);
        var request = new SpeechRequest { Model = "tts-1", Voice = voice, Input = text, Format = AudioFormat.Pcm, SampleRate = info.SampleRate, Streamed = streamed };
        (byte[] audio, SpeechSummary summary, List<SegmentTiming> segments) = await SpeechServices.SynthesizeAsync(request);
        float[] samples = new float[audio.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BitConverter.ToInt16(audio, 2 * i) / 32768f;
        }
        return (samples, info.SampleRate, summary, segments);
    }

    /// <summary>Each voice's comma pauses, measured once for both of its cuts.</summary>
    private static readonly ConcurrentDictionary<string, Task<(TimeSpan Shortest, TimeSpan Longest)>> s_commaPauses = new();

    private static Task<(TimeSpan Shortest, TimeSpan Longest)> CommaPausesAsync(string voice) => s_commaPauses.GetOrAdd(voice, MeasureCommaPausesAsync);

    /// <summary>The shortest and longest of the voice's pauses at the commas of <see cref="s_commas"/>, uncut.</summary>
    private static async Task<(TimeSpan Shortest, TimeSpan Longest)> MeasureCommaPausesAsync(string voice)
    {
        var pauses = new List<int>();
        int rate = 0;
        foreach ((string text, int commas) in s_commas)
        {
            (float[] samples, rate, _, _) = await SpeakAsync(voice, text, streamed: false);
            // Inside the speech (the first and last runs are the kept edge pads), the commas make the longest runs.
            List<(int Start, int Length)> runs = EdgeSilence.QuietRuns(samples, rate);
            pauses.AddRange(runs.Skip(1).SkipLast(1).Select(r => r.Length).OrderDescending().Take(commas));
        }
        return (Time(pauses.Min(), rate), Time(pauses.Max(), rate));
    }

    private static async Task<Join> JoinAsync(string voice, string text, SegmentCut expected)
    {
        (float[] samples, int rate, SpeechSummary summary, List<SegmentTiming> segments) = await SpeakAsync(voice, text, streamed: true);
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest { Model = "tts-1", Voice = voice, Input = text, Streamed = true });
        Assert.Equal(expected, plan.Text.Segments[0].Cut);
        Assert.Equal(2, segments.Count);
        int headEnd = Frame(segments[0].End, rate), restStart = Frame(segments[1].Start, rate);
        // The quiet run around the join: from the last loud window before the head's end to the first after the rest's start.
        // None when the words meet without a quiet window between them.
        (int _, int length) = EdgeSilence.QuietRuns(samples, rate).FirstOrDefault(r => r.Start <= headEnd && r.Start + r.Length >= restStart);
        double steps = Math.Max(Step(samples, headEnd), Step(samples, restStart));
        (_, _, SpeechSummary uncut, _) = await SpeakAsync(voice, text, streamed: false);
        return new Join(Time(length, rate), steps, summary.AudioDuration / uncut.AudioDuration);
    }

    /// <summary>The largest sample-to-sample step within a millisecond of <paramref name="frame"/>.</summary>
    private static double Step(float[] samples, int frame)
    {
        double step = 0;
        for (int i = Math.Max(1, frame - 16); i < Math.Min(samples.Length, frame + 16); i++)
        {
            step = Math.Max(step, Math.Abs(samples[i] - samples[i - 1]));
        }
        return step;
    }

    private static int Frame(TimeSpan time, int rate) => (int)Math.Round(time.TotalSeconds * rate);

    private static TimeSpan Time(int frames, int rate) => TimeSpan.FromSeconds((double)frames / rate);
}
