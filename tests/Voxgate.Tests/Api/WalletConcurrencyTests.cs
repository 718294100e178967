using System.Net;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>A server whose engine queues and per-account concurrency are large enough that only money limits a burst.</summary>
public sealed class DeepQueueFactory : VoxgateFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Voxgate:Saturation:Default:MaxQueued", "1000"),
        new("Voxgate:RateLimits:DefaultConcurrentRequests", "1000"),
    ];
}

public class WalletConcurrencyTests(DeepQueueFactory factory) : IClassFixture<DeepQueueFactory>
{
    /// <summary>100 characters: at voxgate/flite's $0.005 per 1K, 500 micro-dollars a request.</summary>
    private const string Text = "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog. Hello you.";

    [Fact]
    public async Task TwoHundredConcurrentRequestsOnAWalletForFiftyNeverOverspendAndChargesEqualUsage()
    {
        Assert.Equal(100, Text.Length);
        // $0.026316 minus the 5% fee (1,316 micro-dollars) leaves exactly 25,000: fifty requests.
        string key = await factory.CreateKeyAsync("burst", "0.026316");
        HttpClient client = factory.CreateClient().WithKey(key);
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            client.PostSpeechAsync(new { model = "tts-1", input = Text, voice = "flite:kal16", response_format = "pcm" })));
        foreach (HttpResponseMessage response in responses)
        {
            await response.Content.ReadAsByteArrayAsync();
        }

        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(150, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        Account account = await factory.Service<AccountService>().GetAccountAsync("burst");
        IBillingStore billing = factory.Service<IBillingStore>();
        WalletState wallet = await billing.GetWalletAsync(account.Id, DateTimeOffset.UtcNow);
        Assert.Equal(0, wallet.BalanceMicros);
        Assert.Equal(0, wallet.HeldMicros);
        Assert.Equal(wallet.BalanceMicros, await billing.SumLedgerAsync(account.Id));

        IReadOnlyList<LedgerEntry> charges = [.. (await billing.GetLedgerAsync(account.Id, 1000)).Where(e => e.Kind == "charge")];
        IReadOnlyList<UsageRecord> usage = await factory.Service<IUsageStore>().RecentAsync(account.Id, 1000);
        Assert.Equal(50, charges.Count);
        Assert.Equal(-charges.Sum(c => c.AmountMicros), usage.Sum(u => u.CostMicros));
        Assert.Equal(charges.Select(c => c.RequestId).Order(), usage.Where(u => u.CostMicros > 0).Select(u => u.RequestId).Order());
        Assert.Equal(50, usage.Count);
        Assert.All(usage, u => Assert.Equal(UsageStatus.Succeeded, u.Status));
        UsageReport report = await factory.Service<UsageReports>().ByDayAsync(account.Id, 1);
        Assert.Equal([new RefusalTotal(UsageStatus.InsufficientCredits, 150)], report.Refusals);
    }
}
