using Voxgate.Gateway.Billing;

namespace Voxgate.Tests.Gateway;

public class MoneyTests
{
    [Theory]
    [InlineData("10", 10_000_000)]
    [InlineData("10.00", 10_000_000)]
    [InlineData("$0.5", 500_000)]
    [InlineData("0.000001", 1)]
    [InlineData(" 1234.567891 ", 1_234_567_891)]
    public void ParsesDollars(string text, long micros)
    {
        Assert.True(Money.TryParseDollars(text, out long parsed));
        Assert.Equal(micros, parsed);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("0.0000001")]
    [InlineData("1e3")]
    [InlineData("ten")]
    [InlineData("1000000.000001")]
    [InlineData("1,000")]
    public void RefusesWhatIsNotAnAmount(string text) => Assert.False(Money.TryParseDollars(text, out _));

    [Theory]
    [InlineData(10_000_000, "10.00")]
    [InlineData(1_900, "0.0019")]
    [InlineData(-500_000, "-0.50")]
    [InlineData(1, "0.000001")]
    public void FormatsWithoutRounding(long micros, string text) => Assert.Equal(text, Money.FormatDollars(micros));

    [Theory]
    [InlineData(19, 100_000, 1_900)]     // the seed's $0.100 per 1K characters
    [InlineData(1, 100_000, 100)]
    [InlineData(1, 5_000, 5)]
    [InlineData(3, 333, 1)]              // 0.999 micro-dollars rounds up
    [InlineData(0, 100_000, 0)]
    [InlineData(4096, 15_000, 61_440)]   // OpenAI tts-1's $15 per 1M
    public void CostIsRoundedUpToTheMicroDollar(int characters, long price, long cost) => Assert.Equal(cost, Money.Cost(characters, price));

    [Theory]
    [InlineData(10_000_000, 500, 500_000)]
    [InlineData(26_316, 500, 1_316)]     // 1315.8 rounds to 1316
    [InlineData(10, 500, 1)]             // 0.5 rounds up
    [InlineData(9, 500, 0)]
    [InlineData(10_000_000, 0, 0)]
    public void FeesAreBasisPointsRoundedHalfUp(long amount, int basisPoints, long fee) => Assert.Equal(fee, Money.Fee(amount, basisPoints));
}
