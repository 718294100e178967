using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Bench;

/// <summary>
/// Issue 13: what English normalisation costs per 1,000 characters of a text dense with numbers, money, dates,
/// times, units and abbreviations, against what synthesising the same (normalised) text costs on flite:kal16,
/// the fastest embedded voice. The target is a negligible ratio.
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

    public async Task RunAsync()
    {
        string text = string.Concat(Enumerable.Repeat(Mixed, 10)); // ~10,000 characters
        double kiloCharacters = text.Length / 1000.0;
        const int repeats = 20; // normalisations per sample: each takes well under a millisecond
        var frontEnd = EnglishFrontEnd.Default;
        SpeechPlan plan = host.Get<SpeechPlanner>().Plan(new SpeechRequest
        {
            Model = "tts-1", Voice = Voice, Input = text, Format = AudioFormat.Pcm, ExpandForSpeech = true,
        });
        var local = (LocalSynthesis)plan.Route;
        double[] medians = await Measure.InterleavedMediansAsync(runs,
            () =>
            {
                for (int i = 0; i < repeats; i++)
                {
                    _ = frontEnd.Read(text);
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
        report.WriteLine($"### English normalisation ({text.Length:N0} characters of mixed text, in process)");
        report.WriteLine();
        report.WriteLine("| Step | ms per 1K characters | Normaliser / synthesis |");
        report.WriteLine("|---|---|---|");
        report.WriteLine($"| Normaliser (`EnglishFrontEnd`) | {normalise * 1000:0.000} | {normalise / synthesise:0.0000} |");
        report.WriteLine($"| Synthesis on {Voice} (engine only, the normalised text) | {synthesise * 1000:0.0} | 1 |");
        report.WriteLine();
    }
}
