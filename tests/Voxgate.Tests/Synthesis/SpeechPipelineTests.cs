using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Synthesis;

public class SpeechPipelineTests
{
    private const string ThreeSentences = "The first sentence is here. The second one follows it. And this is the third.";

    [Fact]
    public async Task SegmentsAreTimedInOrderAndCoverTheAudio()
    {
        var request = new SpeechRequest { Model = "tts-1", Voice = "flite:kal16", Input = ThreeSentences, Format = AudioFormat.Wav };
        (byte[] audio, SpeechSummary summary, List<SegmentTiming> segments) = await SpeechServices.SynthesizeAsync(request);
        Assert.Equal(3, segments.Count);
        Assert.Equal(TimeSpan.Zero, segments[0].Start);
        Assert.All(segments.Zip(segments.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start + TimeSpan.FromMilliseconds(1)));
        Assert.InRange((segments[^1].End - summary.AudioDuration).TotalMilliseconds, -150, 400);
        Assert.Equal(summary.AudioDuration.TotalSeconds, (await AudioProbe.ProbeAsync(audio, "wav")).DecodedDuration.TotalSeconds, 2);
        Assert.Equal(ThreeSentences.Length, summary.Characters);
    }

    [Fact]
    public async Task SpeedShortensTheAudioByItsFactor()
    {
        var request = new SpeechRequest { Model = "tts-1", Voice = "flite:kal16", Input = ThreeSentences, Format = AudioFormat.Pcm };
        SpeechSummary normal = (await SpeechServices.SynthesizeAsync(request)).Summary;
        SpeechSummary fast = (await SpeechServices.SynthesizeAsync(request with { Speed = 2 })).Summary;
        SpeechSummary slow = (await SpeechServices.SynthesizeAsync(request with { Speed = 0.5 })).Summary;
        Assert.InRange(fast.AudioDuration / normal.AudioDuration, 0.47, 0.53);
        Assert.InRange(slow.AudioDuration / normal.AudioDuration, 1.9, 2.1);
    }

    [Fact]
    public async Task EspeakWordsMapIntoTheOutputTimeline()
    {
        const string text = "Alpha beta. Gamma delta.";
        var request = new SpeechRequest { Model = "espeak", Voice = "espeak:en-us", Input = text, Format = AudioFormat.Pcm, Speed = 0.3 };
        (_, SpeechSummary summary, List<SegmentTiming> segments) = await SpeechServices.SynthesizeAsync(request);
        WordSpan[] words = [.. segments.SelectMany(s => s.Words)];
        Assert.Equal(["Alpha", "beta", "Gamma", "delta"], words.Select(w => text.Substring(w.TextStart, w.TextLength)));
        Assert.True(words.Zip(words.Skip(1)).All(p => p.First.Start < p.Second.Start));
        Assert.InRange(words[2].Start, segments[1].Start, segments[1].End);
        Assert.True(words[^1].Start < summary.AudioDuration);
    }

    [Fact]
    public async Task StereoAndResamplingReachTheEncoder()
    {
        var request = new SpeechRequest { Model = "tts-1", Voice = "flite:kal16", Input = "Two channels at forty four point one.", Format = AudioFormat.Flac, SampleRate = 44100, Channels = 2 };
        (byte[] audio, SpeechSummary summary, _) = await SpeechServices.SynthesizeAsync(request);
        ProbeResult probe = await AudioProbe.ProbeAsync(audio, "flac");
        Assert.Equal((44100, 2), (probe.SampleRate, probe.Channels));
        Assert.Equal(summary.AudioDuration.TotalSeconds, probe.DecodedDuration.TotalSeconds, 2);
    }

    [Fact]
    public async Task CancellationStopsBetweenSegments()
    {
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest
        {
            Model = "tts-1", Voice = "flite:kal16", Input = string.Join(" ", Enumerable.Repeat("Another sentence here.", 50)),
        });
        using var cancellation = new CancellationTokenSource();
        int chunks = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (SpeechChunk _ in SpeechServices.Get<SpeechPipeline>().RunAsync(plan, cancellation.Token))
            {
                if (++chunks == 3)
                {
                    cancellation.Cancel();
                }
            }
        });
        Assert.Equal(3, chunks);
    }
}
