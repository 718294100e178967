using System.Globalization;
using System.Net;
using System.Text.Json;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Api;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// On a server of this class's own (so the model ranking sees only this traffic) whose Opus encoder is misconfigured,
/// so that a request can fail cleanly after admission.
/// </summary>
public class UsageReportTests(BrokenOpusFactory factory) : IClassFixture<BrokenOpusFactory>
{
    private const string Account = "mixed";

    private sealed record Totals(int Requests, long Characters, long CostMicros, int Failed, long Refused);

    // Old code: failures and refusals were usage rows that the account reports summed as requests (and characters) and the
    // model ranking left out, so the views disagreed; neither the CLI nor the API showed failures or refusals apart.
    [Fact]
    public async Task TheUsageApiTheAccountReportAndTheModelRankingAgreeOnMixedTraffic()
    {
        // $0.01 less the 5% fee: room for short requests, not for a long one.
        string key = await factory.CreateKeyAsync(Account, "0.01", requestsPerMinute: 8);
        HttpClient client = factory.CreateClientWithKey(key);
        var expected = new Totals(0, 0, 0, 0, 0);
        var refusals = new Dictionary<string, long>();

        async Task<HttpStatusCode> SendAsync(string model, string input, string format = "mp3")
        {
            using HttpResponseMessage response = await client.PostSpeechAsync(new { model, input, voice = "alloy", response_format = format });
            long price = model == "espeak" ? 2_000 : 5_000;
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    await response.Content.ReadAsByteArrayAsync();
                    expected = expected with
                    {
                        Requests = expected.Requests + 1,
                        Characters = expected.Characters + input.Length,
                        CostMicros = expected.CostMicros + Money.Cost(input.Length, price),
                    };
                    break;
                case HttpStatusCode.InternalServerError:
                    expected = expected with { Failed = expected.Failed + 1 };
                    break;
                case HttpStatusCode.PaymentRequired or HttpStatusCode.TooManyRequests:
                    string status = response.StatusCode == HttpStatusCode.PaymentRequired ? UsageStatus.InsufficientCredits : UsageStatus.RateLimited;
                    refusals[status] = refusals.GetValueOrDefault(status) + 1;
                    expected = expected with { Refused = expected.Refused + 1 };
                    break;
                default:
                    Assert.Fail($"unexpected {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    break;
            }
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync("tts-1", "The first request of the day."));
        Assert.Equal(HttpStatusCode.OK, await SendAsync("espeak", "A second model, priced apart."));
        Assert.Equal(HttpStatusCode.InternalServerError, await SendAsync("tts-1", "An encoder that cannot start.", "opus"));
        Assert.Equal(HttpStatusCode.PaymentRequired, await SendAsync("tts-1", LongText.Make(3_000)));
        // Short requests until the key's eight requests per minute run out (a refill during the loop only adds one).
        for (int i = 0; i < 30 && !refusals.ContainsKey(UsageStatus.RateLimited); i++)
        {
            await SendAsync("tts-1", $"Short request {i}.");
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync("tts-1", "Still over the limit."));
        // Every request settles after its body is sent; wait until the last one is recorded.
        await Eventually.HoldsAsync(async () => (await factory.Service<WalletService>().WalletAsync((await factory.Service<AccountService>().GetAccountAsync(Account)).Id)).HeldMicros == 0,
            "every request settled");

        // The customer API (it writes the counted refusals first, so the CLI's separate process reads them too).
        using HttpResponseMessage usage = await client.GetAsync("/v1/usage");
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        JsonElement document = await usage.JsonAsync();
        JsonElement total = document.GetProperty("total");
        var api = new Totals(total.GetProperty("requests").GetInt32(), total.GetProperty("characters").GetInt64(),
            total.GetProperty("cost_micros").GetInt64(), total.GetProperty("failed").GetInt32(), total.GetProperty("refused").GetInt64());
        Assert.Equal(expected, api);
        Assert.Equal(refusals.OrderBy(r => r.Key), document.GetProperty("refusals").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())).OrderBy(r => r.Key));

        // voxgate usage --account: the TOTAL line, then one "refused <status>: <count>" line per reason.
        (int exit, string stdout, string stderr) = await CliRunner.RunAsync(factory.DataDirectory, null, null, "usage", "--account", Account, "--data", factory.DataDirectory);
        Assert.True(exit == 0, stderr);
        string[] totalLine = Lines(stdout).Single(l => l.StartsWith("TOTAL", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // TOTAL requests characters $cost failed refused (the model and BYOK columns are blank on it)
        Assert.Equal(expected, new Totals(int.Parse(totalLine[1], CultureInfo.InvariantCulture), long.Parse(totalLine[2], CultureInfo.InvariantCulture), Micros(totalLine[3]), int.Parse(totalLine[4], CultureInfo.InvariantCulture), long.Parse(totalLine[5], CultureInfo.InvariantCulture)));
        Assert.Equal(refusals.OrderBy(r => r.Key), Lines(stdout).Where(l => l.StartsWith("refused ", StringComparison.Ordinal))
            .Select(l => l["refused ".Length..].Split(": ")).Select(p => KeyValuePair.Create(p[0], long.Parse(p[1], CultureInfo.InvariantCulture))).OrderBy(r => r.Key));

        // voxgate usage --models: # MODEL REQUESTS CHARACTERS COST ACCOUNTS FAILED REFUSED, one line per model.
        (exit, stdout, stderr) = await CliRunner.RunAsync(factory.DataDirectory, null, null, "usage", "--models", "--data", factory.DataDirectory);
        Assert.True(exit == 0, stderr);
        string[][] models = [.. Lines(stdout).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        Assert.Equal(["voxgate/espeak-ng", "voxgate/flite"], models.Select(m => m[1]).Order());
        Assert.All(models, m => Assert.Equal("1", m[5]));
        Assert.Equal(expected, new Totals(models.Sum(m => int.Parse(m[2], CultureInfo.InvariantCulture)), models.Sum(m => long.Parse(m[3], CultureInfo.InvariantCulture)), models.Sum(m => Micros(m[4])),
            models.Sum(m => int.Parse(m[6], CultureInfo.InvariantCulture)), models.Sum(m => long.Parse(m[7], CultureInfo.InvariantCulture))));
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static long Micros(string dollars) => (long)(decimal.Parse(dollars.TrimStart('$'), CultureInfo.InvariantCulture) * Money.MicrosPerDollar);
}
