using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Tests.Text;

/// <summary>
/// Each reader alone, through <see cref="EnglishFrontEnd.ReadAs"/> (what SSML's say-as will call): what it reads, and
/// what it must leave to others.
/// </summary>
public class EnglishReaderTests
{
    private static readonly EnglishFrontEnd s_us = EnglishFrontEnd.Default;
    private static readonly EnglishFrontEnd s_uk = new(new EnglishReadingOptions(NumericDateOrder.DayMonthYear));

    [Theory]
    [InlineData(TokenKind.Cardinal, "1,234", "one thousand two hundred thirty-four")]
    [InlineData(TokenKind.Cardinal, "-4", "minus four")]
    [InlineData(TokenKind.Cardinal, "3.14", "three point one four")]
    [InlineData(TokenKind.Cardinal, "12345678901234567890", "one two three four five six seven eight nine zero one two three four five six seven eight nine zero")]
    [InlineData(TokenKind.Ordinal, "21st", "twenty-first")]
    [InlineData(TokenKind.Ordinal, "112th", "one hundred twelfth")]
    [InlineData(TokenKind.Digits, "2024", "two zero two four")]
    [InlineData(TokenKind.Year, "1905", "nineteen oh five")]
    [InlineData(TokenKind.Year, "2000s", "two thousands")]
    [InlineData(TokenKind.Date, "2024-03-05", "March fifth, twenty twenty-four")]
    [InlineData(TokenKind.Date, "3 March 1998", "the third of March, nineteen ninety-eight")]
    [InlineData(TokenKind.Time, "7:45 pm", "seven forty-five P M")]
    [InlineData(TokenKind.Time, "00:30", "zero thirty")]
    [InlineData(TokenKind.Telephone, "555-0142", "five five five, oh one four two")]
    [InlineData(TokenKind.Telephone, "+1 (800) 555-0199", "plus one, eight hundred, five five five, oh one nine nine")]
    [InlineData(TokenKind.Money, "£1,200.99", "one thousand two hundred pounds and ninety-nine pence")]
    [InlineData(TokenKind.Money, "$4.2 million", "four point two million dollars")]
    [InlineData(TokenKind.Money, "¥12.5", "twelve point five yen")]
    [InlineData(TokenKind.Fraction, "3/4", "three quarters")]
    [InlineData(TokenKind.Fraction, "1 1/3", "one and a third")]
    [InlineData(TokenKind.Unit, "1 km/h", "one kilometer per hour")]
    [InlineData(TokenKind.Unit, "-40 °F", "minus forty degrees Fahrenheit")]
    [InlineData(TokenKind.Percent, "0.5%", "zero point five percent")]
    [InlineData(TokenKind.Url, "https://www.example.com/a_b?x=1", "W W W dot example dot com slash a underscore b question mark x equals one")]
    [InlineData(TokenKind.Symbol, "&", "and")]
    public void ReadsATokenAsItsKind(TokenKind kind, string token, string spoken) => Assert.Equal(spoken, s_us.ReadAs(kind, token));

    [Theory]
    [InlineData(TokenKind.Date, "2024-13-45")]
    [InlineData(TokenKind.Date, "February 30, 2024")]
    [InlineData(TokenKind.Time, "25:61")]
    [InlineData(TokenKind.Time, "13:00 pm")]
    [InlineData(TokenKind.Telephone, "100-1000")]
    [InlineData(TokenKind.Fraction, "3/1")]
    [InlineData(TokenKind.Unit, "5 parsecs")]
    [InlineData(TokenKind.Money, "4.2 million")]
    [InlineData(TokenKind.Ordinal, "21")]
    [InlineData(TokenKind.Digits, "abc")]
    public void RefusesWhatIsNotOfItsKind(TokenKind kind, string token) => Assert.Null(s_us.ReadAs(kind, token));

    [Theory]
    [InlineData("03/05/2024", "March fifth, twenty twenty-four", "the third of May, twenty twenty-four")]
    [InlineData("25/12/2024", "December twenty-fifth, twenty twenty-four", "the twenty-fifth of December, twenty twenty-four")]
    [InlineData("12/25/2024", "December twenty-fifth, twenty twenty-four", "the twenty-fifth of December, twenty twenty-four")]
    [InlineData("2024-03-05", "March fifth, twenty twenty-four", "the fifth of March, twenty twenty-four")]
    public void NumericDatesFollowTheConfiguredOrderUnlessOnlyOneIsADate(string written, string us, string uk)
    {
        Assert.Equal(us, s_us.Normalize(written));
        Assert.Equal(uk, s_uk.Normalize(written));
    }

    [Theory]
    [InlineData("Baker St.", "Baker Street.")]
    [InlineData("St. Louis", "Saint Louis")]
    [InlineData("Visit St. Louis.", "Visit Saint Louis.")]
    [InlineData("Dr. Who", "Doctor Who")]
    [InlineData("Sunset Dr. is long.", "Sunset Drive is long.")]
    [InlineData("No. 5", "number five")]
    [InlineData("No. I won't.", "No. I won't.")]
    [InlineData("She said no.", "She said no.")]
    public void AbbreviationsAreReadByTheirNeighbours(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Theory]
    [InlineData("Henry VIII", "Henry the eighth")]
    [InlineData("Chapter I", "Chapter one")]
    [InlineData("Henry I think", "Henry I think")]
    [InlineData("I am here.", "I am here.")]
    [InlineData("Washington DC", "Washington DC")]
    [InlineData("Size XL", "Size XL")]
    [InlineData("MIX it", "MIX it")]
    public void RomanNumeralsOnlyWhereTheWordsAroundSaySo(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Theory]
    [InlineData("5 in the box", "five in the box")]
    [InlineData("A 4K screen", "A four K screen")]
    [InlineData("1,998 people", "one thousand nine hundred ninety-eight people")]
    [InlineData("e-mail me", "e-mail me")]
    [InlineData("pre-2020 cars", "pre-twenty twenty cars")]
    [InlineData("a well-known fact", "a well-known fact")]
    public void LeavesWordsAlone(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Fact]
    public void EveryKindHasAReader()
    {
        TokenKind[] read = [.. EnglishFrontEnd.Readers.Select(r => r.Kind)];
        Assert.All(Enum.GetValues<TokenKind>().Where(k => k != TokenKind.Digits), kind => Assert.Contains(kind, read));
    }
}
