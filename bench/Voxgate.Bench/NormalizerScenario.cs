using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Bench;

/// <summary>
/// Issue 13: what English normalisation costs per 1,000 characters of a text dense with numbers, money, dates,
/// times, units and abbreviations, against what synthesising the same (normalised) text costs on flite:kal16,
/// the fastest embedded voice. The target is a negligible ratio. Chinese likewise (<see cref="ChineseFrontEnd"/>),
/// against eSpeak NG's Mandarin voice, the embedded voice that speaks it.
/// </summary>
public sealed class NormalizerScenario(BenchHost host, int runs, TextWriter report)
{
    private const string Voice = "flite:kal16";

    /// <summary>Everyday sentences with at least one token to read in most of them (about 1,000 characters).</summary>
    private const string Mixed =
        "On March 3, 1998, Dr. Smith paid $4.2 million for 3/4 of the land on Baker St. near St. Louis. " +
        "Call 555-0142 before 7:45 pm on 2024-03-05, or (555) 123-4567 after 10:30. " +
        "The 21st-century plan costs €3.5bn and saves 12.5% by the 2030s; growth was 10-12% in 2019. " +
        "At 100 km/h, the 2 kg drone flies 10-12 km at -4°C and lands in 30 ms. " +
        "Henry VIII ruled from 1509-1547, and Chapter IV tells how. " +
        "Rent is £1,200.99 a month, a $100 bill covers 1/2 of the fee, and 1,250,000 people agreed. " +
        "See https://example.com/docs or mail jane.doe@example.com; Tom & Jerry are #1. " +
        "Mr. and Mrs. Jones met Prof. Lee at 221B Baker St. at 10:30 am, etc. " +
        "The 1990s gave us the 3rd version of MP3, and 512 MB cost about $0.99 in the '90s. " +
        "Download 512 MB at 100 Mbps in 41 s, then wait 2 1/2 hours until 18:00 on 25/12/2024. ";

    private const string ChineseVoice = "espeak:cmn";

    /// <summary>Chinese sentences with numbers, dates, times, money, percentages, telephone numbers and units.</summary>
    private const string ChineseMixed =
        "2024年3月5日上午8:30，我们在3楼会议室开会，预计2个小时。这款手机售价¥2999，电池5000mAh，重200g。" +
        "今年销售额增长了15%，达到1.2亿元。请于3月15日前拨打400-123-4567预约，或致电13800138000。" +
        "室外温度-3℃，湿度45%。他1998年出生，是90后，跑完42.195km用了3-5个小时。" +
        "3/4的受访者每天工作8-10个小时，库存10010件，第2名获得¥12.5万奖金。";

    public async Task RunAsync()
    {
        await MeasureAsync("English", string.Concat(Enumerable.Repeat(Mixed, 10)), Voice, "EnglishFrontEnd", text => EnglishFrontEnd.Default.Read(text)); // ~10,000 characters
        await MeasureAsync("Chinese", string.Concat(Enumerable.Repeat(ChineseMixed, 25)), ChineseVoice, "ChineseFrontEnd", text => ChineseFrontEnd.Default.Read(text)); // ~5,000
    }

    private async Task MeasureAsync(string language, string text, string voice, string frontEndName, Func<string, (string, TextAlignment)> read)
    {
        double kiloCharacters = text.Length / 1000.0;
        const int repeats = 20; // normalisations per sample: each takes well under a millisecond
        SpeechPlan plan = host.Get<SpeechPlanner>().Plan(new SpeechRequest
        {
            Model = "tts-1", Voice = voice, Input = text, Format = AudioFormat.Pcm, ExpandForSpeech = true,
        });
        var local = (LocalSynthesis)plan.Route;
        double[] medians = await Measure.InterleavedMediansAsync(runs,
            () =>
            {
                for (int i = 0; i < repeats; i++)
                {
                    _ = read(text);
                }
                return Task.CompletedTask;
            },
            async () =>
            {
                foreach (var segment in plan.Text.Segments)
                {
                    await foreach (PcmChunk _ in local.Engine.SynthesizeAsync(new EngineRequest(segment.Text, plan.Voice, local.EngineSpeed), CancellationToken.None))
                    {
                    }
                }
            });
        double normalise = medians[0] / repeats / kiloCharacters, synthesise = medians[1] / kiloCharacters;
        report.WriteLine($"### {language} normalisation ({text.Length:N0} characters of mixed text, in process)");
        report.WriteLine();
        report.WriteLine("| Step | ms per 1K characters | Normaliser / synthesis |");
        report.WriteLine("|---|---|---|");
        report.WriteLine($"| Normaliser (`{frontEndName}`) | {normalise * 1000:0.000} | {normalise / synthesise:0.0000} |");
        report.WriteLine($"| Synthesis on {voice} (engine only, the normalised text) | {synthesise * 1000:0.0} | 1 |");
        report.WriteLine();
    }
}
