using System.Diagnostics;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Synthesis;

public class VoiceControlPipelineTests
{
    private static SpeechRequest Request(string input, string voice = "flite:kal16", AudioFormat format = AudioFormat.Pcm) =>
        new() { Model = "tts-1", Voice = voice, Input = input, Format = format };

    private static float[] Pcm(byte[] bytes) => [.. Enumerable.Range(0, bytes.Length / 2).Select(i => BitConverter.ToInt16(bytes, 2 * i) / 32768f)];

    [Fact]
    public async Task APauseMarkerInsertsExactlyThatMuchSilence()
    {
        (byte[] audio, _, List<SegmentTiming> segments) = await SpeechServices.SynthesizeAsync(Request("One sentence here. <#2.5#> Another one there."));
        SegmentTiming pause = segments[1];
        Assert.Equal(2.5, (pause.End - pause.Start).TotalSeconds, 2);
        float[] samples = Pcm(audio);
        int middle = (int)((pause.Start + pause.End).TotalSeconds / 2 * 24000);
        Assert.True(Signals.Peak(samples.AsSpan(middle - 12000, 24000)) < 0.001, "the pause must be silent");
        // The engine's own silence beside the pause is dropped (its 40 and 100 ms pads kept): the gap between the
        // sentences is the pause asked for, not the pause plus whatever silence the engine put around its sentences.
        int before = Array.FindLastIndex(samples, (int)(pause.Start.TotalSeconds * 24000), s => Math.Abs(s) > 0.01f);
        int after = Array.FindIndex(samples, (int)(pause.End.TotalSeconds * 24000), s => Math.Abs(s) > 0.01f);
        Assert.InRange((after - before) / 24000.0, 2.5, 2.5 + 0.14 + 0.02);
    }

    [Fact]
    public async Task PausesKeepTheirLengthAtAnySpeed()
    {
        SpeechSummary slow = (await SpeechServices.SynthesizeAsync(Request("Go. <#3#> Now.") with { Speed = 0.5 })).Summary;
        SpeechSummary fast = (await SpeechServices.SynthesizeAsync(Request("Go. <#3#> Now.") with { Speed = 2 })).Summary;
        Assert.True(fast.AudioDuration.TotalSeconds > 3, $"{fast.AudioDuration}");
        Assert.True(slow.AudioDuration - fast.AudioDuration < TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task ParallelSynthesisProducesTheSameAudioInTheSameOrder()
    {
        string text = string.Join(" ", Enumerable.Range(1, 25).Select(i => $"This is sentence number {i}.")) + " <#0.5#> The end.";
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(Request(text, format: AudioFormat.Wav));
        async Task<(byte[], List<SegmentTiming>)> RunAsync(int parallelism)
        {
            using var audio = new MemoryStream();
            var segments = new List<SegmentTiming>();
            await foreach (SpeechChunk chunk in SpeechServices.Get<SpeechPipeline>().RunAsync(plan, UnlimitedEngineTurns.Instance, parallelism, CancellationToken.None))
            {
                audio.Write(chunk.Audio.Span);
                if (chunk.Segment is { } s)
                {
                    segments.Add(s);
                }
            }
            return (audio.ToArray(), segments);
        }
        (byte[] one, List<SegmentTiming> oneSegments) = await RunAsync(1);
        (byte[] four, List<SegmentTiming> fourSegments) = await RunAsync(4);
        Assert.Equal(one, four);
        Assert.Equal(oneSegments.Select(s => s.Index), fourSegments.Select(s => s.Index));
    }

    [Fact]
    public async Task TheWatermarkIsTaggedInEveryContainerAndItsChimeSurvivesEveryCodec()
    {
        foreach (AudioFormat format in AudioFormats.All)
        {
            SpeechRequest request = Request("This speech was made by a machine.", format: format) with { Watermark = true };
            (byte[] marked, SpeechSummary summary, _) = await SpeechServices.SynthesizeAsync(request);
            (byte[] plain, _, _) = await SpeechServices.SynthesizeAsync(request with { Watermark = false });
            Assert.True(marked.Length > plain.Length, $"{format}: the chime should lengthen the audio");
            float[] decoded = await DecodeAsync(marked, format, summary.SampleRate);
            Assert.True(AudioWatermark.Detect(decoded, 24000), $"{format}: chime not found after decoding");
            Assert.False(AudioWatermark.Detect(await DecodeAsync(plain, format, summary.SampleRate), 24000), $"{format}: chime found in unmarked audio");
            if (format != AudioFormat.Pcm)
            {
                Assert.Equal(MachineGeneratedTag.Value, await TagAsync(marked, format));
                Assert.Null(await TagAsync(plain, format));
            }
        }
    }

    [Fact]
    public async Task AnIpaPronunciationChangesWhatEspeakSays()
    {
        SpeechRequest plain = Request("I like tomato soup.", "espeak:en-us");
        SpeechRequest british = plain with { Pronunciations = [PronunciationRule.Parse("tomato//təˈmɑːtəʊ/", "p")] };
        SpeechRequest spelled = plain with { Pronunciations = [PronunciationRule.Parse("tomato/tom ah toe", "p")] };
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(british);
        Assert.Contains("[[t@'mA:t@U]]", plan.Text.Text);
        byte[] a = (await SpeechServices.SynthesizeAsync(plain)).Audio;
        byte[] b = (await SpeechServices.SynthesizeAsync(british)).Audio;
        byte[] c = (await SpeechServices.SynthesizeAsync(spelled)).Audio;
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
        Assert.InRange(b.Length / (double)a.Length, 0.8, 1.25); // the phonemes were spoken, not spelled out
    }

    [Fact]
    public async Task PinyinReachesEspeaksMandarinVoiceAsPhonemes()
    {
        SpeechRequest request = Request("我们处理数据。", "espeak:cmn") with { Pronunciations = [PronunciationRule.Parse("处理/(chu3)(li3)", "p")] };
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(request);
        Assert.Matches(@"\[\[.*u214.*l'i214.*\]\]", plan.Text.Text);
        Assert.InRange((await SpeechServices.SynthesizeAsync(request)).Summary.AudioDuration.TotalSeconds, 0.5, 5);

        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() =>
            SpeechServices.Get<SpeechPlanner>().Plan(request with { Voice = "espeak:de" }));
        Assert.Contains("Mandarin or Cantonese voice", refused.Message);
    }

    [Fact]
    public void TheLanguageChoosesAVoiceThatSpeaksIt()
    {
        SpeechPlanner planner = SpeechServices.Get<SpeechPlanner>();
        Assert.Equal("espeak:cmn", planner.Plan(Request("你好，世界。", "alloy") with { Language = "auto" }).Voice.Id);
        Assert.Equal("espeak:ja", planner.Plan(Request("こんにちは。", "alloy") with { Language = "auto" }).Voice.Id);
        Assert.Equal("flite:slt", planner.Plan(Request("Hello there.", "alloy") with { Language = "auto" }).Voice.Id);
        Assert.Equal("flite:slt", planner.Plan(Request("Hello there.", "alloy") with { Language = "en" }).Voice.Id);
        Assert.StartsWith("espeak:de", planner.Plan(Request("Guten Tag.", "alloy") with { Language = "de" }).Voice.Id);
        Assert.Equal("language", Assert.Throws<SpeechRequestException>(() => planner.Plan(Request("Hi.") with { Language = "tlh" })).Parameter);
    }

    [Fact]
    public void ControlsAreRangeChecked()
    {
        SpeechPlanner planner = SpeechServices.Get<SpeechPlanner>();
        Assert.Equal("pitch", Assert.Throws<SpeechRequestException>(() => planner.Plan(Request("Hi.") with { PitchSemitones = 13 })).Parameter);
        Assert.Equal("emotion", Assert.Throws<SpeechRequestException>(() => planner.Plan(Request("Hi.") with { Emotion = "bored" })).Parameter);
        Assert.Equal("voice_modify.timbre", Assert.Throws<SpeechRequestException>(() =>
            planner.Plan(Request("Hi.") with { Modification = new VoiceModification(Timbre: 101) })).Parameter);
        SpeechRequestException mix = Assert.Throws<SpeechRequestException>(() =>
            planner.Plan(Request("Hi.") with { VoiceMix = [new VoiceWeight("flite:slt", 60), new VoiceWeight("flite:rms", 40)] }));
        Assert.Equal("timber_weights", mix.Parameter);
        Assert.Contains("engine 'flite' cannot mix voices", mix.Message);
    }

    [Fact]
    public async Task EmotionsAndModificationsAreAudible()
    {
        SpeechSummary neutral = (await SpeechServices.SynthesizeAsync(Request("How are you today?"))).Summary;
        SpeechSummary sad = (await SpeechServices.SynthesizeAsync(Request("How are you today?") with { Emotion = "sad" })).Summary;
        Assert.True(sad.AudioDuration > neutral.AudioDuration * 1.05, "sad speech is slower");
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(Request("Hi.") with
        {
            Emotion = "happy",
            PitchSemitones = 2,
            Modification = new VoiceModification(Pitch: 100, Intensity: 50, Timbre: -20, Effect: SoundEffect.Robotic),
        });
        Assert.Equal(2 + 3 + 1.5, plan.Effects.PitchSemitones, 6);
        Assert.Equal((65, -20, SoundEffect.Robotic), (plan.Effects.Intensity, plan.Effects.Timbre, plan.Effects.Effect));
    }

    /// <summary>Decodes with ffmpeg to mono 24 kHz float samples.</summary>
    private static Task<float[]> DecodeAsync(byte[] audio, AudioFormat format, int sampleRate) =>
        AudioProbe.DecodeAsync(audio, AudioFormats.FileExtension(format), pcmRate: sampleRate);

    /// <summary>The AIGC tag as ffprobe reads it from the container (ID3, Vorbis comments, RIFF INFO).</summary>
    private static async Task<string?> TagAsync(byte[] audio, AudioFormat format)
    {
        string path = Path.Combine(Path.GetTempPath(), $"voxgate-tag-{Guid.NewGuid():N}.{AudioFormats.FileExtension(format)}");
        await File.WriteAllBytesAsync(path, audio);
        try
        {
            var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "default=noprint_wrappers=1", path })
            {
                info.ArgumentList.Add(a);
            }
            using Process ffprobe = Process.Start(info)!;
            string output = await ffprobe.StandardOutput.ReadToEndAsync();
            await ffprobe.WaitForExitAsync();
            string? line = output.Split('\n').FirstOrDefault(l => l.Contains("AIGC", StringComparison.OrdinalIgnoreCase));
            return line is null ? null : line[(line.IndexOf(MachineGeneratedTag.Value, StringComparison.Ordinal) is int i and >= 0 ? i : 0)..].Trim();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
