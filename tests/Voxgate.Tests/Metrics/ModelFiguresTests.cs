using System.Net;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Usage;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Metrics;

/// <summary>The console's live figures per model, computed by the database from the usage rows' measurements.</summary>
public abstract class ModelFiguresTests(StoreProvider provider) : StoreTests(provider)
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private int _next;

    [Fact]
    public async Task MedianFirstByteCharactersPerSecondAndSuccessRateComeFromTheRowsInTheWindow()
    {
        Account account = await Db.NewAccountAsync();
        // tts-1: four succeeded with first bytes 40, 10, 30, 20 ms (median 25), one failed, one cancelled.
        await SettleAsync(account, "tts-1", UsageStatus.Succeeded, characters: 100, latencyMs: 500, firstByteMs: 40, audioMs: 6_000);
        await SettleAsync(account, "tts-1", UsageStatus.Succeeded, characters: 200, latencyMs: 500, firstByteMs: 10, audioMs: 12_000);
        await SettleAsync(account, "tts-1", UsageStatus.Succeeded, characters: 300, latencyMs: 1_000, firstByteMs: 30, audioMs: null);
        await SettleAsync(account, "tts-1", UsageStatus.Succeeded, characters: 400, latencyMs: 2_000, firstByteMs: 20, audioMs: 24_000);
        await SettleAsync(account, "tts-1", UsageStatus.Failed, characters: 50, latencyMs: 100, firstByteMs: null, audioMs: null);
        await SettleAsync(account, "tts-1", UsageStatus.Cancelled, characters: 70, latencyMs: 300, firstByteMs: 5, audioMs: 1_000);
        // tts-1-hd: three succeeded (median of an odd count: the middle one), one without a first byte (a task).
        await SettleAsync(account, "tts-1-hd", UsageStatus.Succeeded, characters: 10, latencyMs: 1_000, firstByteMs: 300, audioMs: 500);
        await SettleAsync(account, "tts-1-hd", UsageStatus.Succeeded, characters: 10, latencyMs: 1_000, firstByteMs: 100, audioMs: 500);
        await SettleAsync(account, "tts-1-hd", UsageStatus.Succeeded, characters: 10, latencyMs: 1_000, firstByteMs: 200, audioMs: 500);
        await SettleAsync(account, "tts-1-hd", UsageStatus.Succeeded, characters: 10, latencyMs: 1_000, firstByteMs: null, audioMs: 500);
        // Outside the window: a day earlier, and one at its end (excluded).
        await SettleAsync(account, "tts-1", UsageStatus.Failed, characters: 1, latencyMs: 1, firstByteMs: 1, audioMs: 1, at: s_now.AddHours(-25));
        await SettleAsync(account, "gone", UsageStatus.Succeeded, characters: 1, latencyMs: 1, firstByteMs: 1, audioMs: 1, at: s_now.AddHours(1));

        IReadOnlyList<ModelFigures> figures = await Db.Usage.ModelFiguresAsync(s_now.AddHours(-24), s_now.AddHours(1));

        Assert.Equal(["tts-1", "tts-1-hd"], figures.Select(f => f.Model));
        ModelFigures tts1 = figures[0];
        Assert.Equal((6, 4, 1, 1), (tts1.Requests, tts1.Succeeded, tts1.Failed, tts1.Cancelled));
        Assert.Equal(1_000, tts1.Characters);
        Assert.Equal(42_000, tts1.AudioMs);
        Assert.Equal(25.0, tts1.MedianFirstByteMs);
        Assert.Equal(1_000 * 1000.0 / 4_000, tts1.CharactersPerSecond);
        Assert.Equal(0.8, tts1.SuccessRate);
        ModelFigures hd = figures[1];
        Assert.Equal(200.0, hd.MedianFirstByteMs);
        Assert.Equal(1.0, hd.SuccessRate);
        Assert.Equal(10.0, hd.CharactersPerSecond);
    }

    [Fact]
    public async Task AModelWithoutSucceededRequestsHasNoMedianNoSpeedAndNoRateWhenNothingFailedEither()
    {
        Account account = await Db.NewAccountAsync();
        await SettleAsync(account, "tts-1", UsageStatus.Cancelled, characters: 10, latencyMs: 100, firstByteMs: null, audioMs: null);
        ModelFigures only = Assert.Single(await Db.Usage.ModelFiguresAsync(s_now.AddHours(-1), s_now.AddHours(1)));
        Assert.Equal((1, 0), (only.Requests, only.Succeeded));
        Assert.Null(only.MedianFirstByteMs);
        Assert.Null(only.CharactersPerSecond);
        Assert.Null(only.SuccessRate);
        Assert.Empty(await Db.Usage.ModelFiguresAsync(s_now.AddHours(1), s_now.AddHours(2)));
    }

    [Fact]
    public async Task TheMeasurementsRoundTripOnTheUsageRow()
    {
        Account account = await Db.NewAccountAsync();
        await SettleAsync(account, "tts-1", UsageStatus.Succeeded, characters: 12, latencyMs: 345, firstByteMs: 67, audioMs: 8_901);
        await SettleAsync(account, "tts-1", UsageStatus.Failed, characters: 12, latencyMs: 3, firstByteMs: null, audioMs: null);
        IReadOnlyList<UsageRecord> rows = await Db.Usage.RecentAsync(account.Id, 10);
        Assert.Equal([(null, null), (67, 8_901)], rows.Select(r => (r.FirstByteMs, r.AudioMs)));
    }

    private async Task SettleAsync(Account account, string model, string status, int characters, int latencyMs, int? firstByteMs, int? audioMs,
        DateTimeOffset? at = null)
    {
        string request = $"r{++_next}";
        await Db.Billing.SettleAsync(request, account.Id, 0,
            new UsageRecord(request, account.Id, null, model, characters, 0, false, status, latencyMs, at ?? s_now.AddMinutes(-_next), firstByteMs, audioMs));
    }
}
