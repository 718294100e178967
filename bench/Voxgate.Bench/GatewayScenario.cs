using System.Globalization;
using System.Net.Http.Json;
using Voxgate.Gateway;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Bench;

/// <summary>
/// What the gateway adds to a request (authentication, rate limits, the hold and the settlement on SQLite): the same
/// small request against a server with authentication off and one with it on, interleaved; and the gateway's own
/// steps timed alone, without HTTP or synthesis.
/// </summary>
public sealed class GatewayScenario(BenchHost open, BenchHost gated, int runs, TextWriter report)
{
    private static readonly Dictionary<string, object> s_request = new()
    {
        ["model"] = "tts-1", ["voice"] = "flite:kal16", ["input"] = "Hi.", ["response_format"] = "pcm",
    };

    public async Task RunAsync()
    {
        int requests = runs * 100;
        report.WriteLine("### Gateway overhead per request (SQLite, authentication on against off)");
        report.WriteLine();
        report.WriteLine(Invariant($"The same 3-character pcm request to two servers in this process, one with authentication off and one with a funded key ({requests} requests each, interleaved). The difference of the medians is what the key look-up, the rate limits, the hold and the settlement (with its usage row) add. The in-process row times the gateway's admission and settlement alone. Target: under 1 ms median."));
        report.WriteLine();
        var off = new List<double>();
        var on = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            await SendAsync(open);
            await SendAsync(gated);
        }
        for (int i = 0; i < requests; i++)
        {
            if (i % 2 == 0)
            {
                off.Add(await Measure.SecondsAsync(() => SendAsync(open)));
                on.Add(await Measure.SecondsAsync(() => SendAsync(gated)));
            }
            else
            {
                on.Add(await Measure.SecondsAsync(() => SendAsync(gated)));
                off.Add(await Measure.SecondsAsync(() => SendAsync(open)));
            }
        }
        double medianOff = Measure.Median(off) * 1000, medianOn = Measure.Median(on) * 1000;

        SpeechGateway gateway = gated.Get<SpeechGateway>();
        var request = new SpeechRequest { Model = "tts-1", Voice = "flite:kal16", Input = "Hi.", Format = AudioFormat.Pcm };
        var steps = new List<double>();
        for (int i = 0; i < requests + 50; i++)
        {
            double seconds = await Measure.SecondsAsync(async () =>
            {
                await using SpeechAdmission admission = await gateway.AdmitAsync(gated.Caller, request, $"bench-{Guid.NewGuid():N}", CancellationToken.None);
                await admission.CompleteAsync(new SpeechOutcome(SpeechOutcomeStatus.Succeeded));
            });
            if (i >= 50)
            {
                steps.Add(seconds);
            }
        }

        report.WriteLine("| measurement | median ms |");
        report.WriteLine("|---|---:|");
        report.WriteLine(Invariant($"| HTTP request, authentication off | {medianOff:0.000} |"));
        report.WriteLine(Invariant($"| HTTP request, authentication on (key, limits, hold, settle, usage) | {medianOn:0.000} |"));
        report.WriteLine(Invariant($"| added by the gateway (difference of medians) | {medianOn - medianOff:0.000} |"));
        report.WriteLine(Invariant($"| gateway admission + settlement alone, in process (plan included) | {Measure.Median(steps) * 1000:0.000} |"));
        report.WriteLine();
    }

    private static async Task SendAsync(BenchHost host)
    {
        using HttpResponseMessage response = await host.Client.PostAsJsonAsync("v1/audio/speech", s_request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
