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
    [InlineData(TokenKind.Dimension, "12x8", "twelve by eight")]
    [InlineData(TokenKind.Telephone, "020 7946 0958", "oh two oh, seven nine four six, oh nine five eight")]
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
    [InlineData("Flight 1472", "Flight fourteen seventy-two")]
    [InlineData("room 1204", "room twelve oh four")]
    [InlineData("Apt. 305", "Apartment three oh five")]
    [InlineData("Gate 1000", "Gate one thousand")]
    [InlineData("Gate 7", "Gate seven")]
    [InlineData("Flight 12345", "Flight twelve thousand three hundred forty-five")]
    [InlineData("Room 101-105", "Room one hundred one to one hundred five")]
    [InlineData("Portland, OR 97201-1234", "Portland, OR nine seven two oh one, one two three four")]
    [InlineData("OR 972", "OR nine hundred seventy-two")]
    [InlineData("sent 12345 to them", "sent twelve thousand three hundred forty-five to them")]
    [InlineData("Text HELP to 4321.", "Text HELP to four three two one.")]
    [InlineData("Drive to 4321 now.", "Drive to four thousand three hundred twenty-one now.")]
    [InlineData("PIN 0042", "PIN oh oh four two")]
    [InlineData("area code 415", "area code four one five")]
    public void NumbersThatNameThingsAreReadAsTheyAreSaid(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Theory]
    [InlineData("1600 Pennsylvania Ave NW", "sixteen hundred Pennsylvania Ave northwest")]
    [InlineData("221 Baker St.", "two twenty-one Baker Street.")]
    [InlineData("1400 SE 5th St", "fourteen hundred southeast fifth Street")]
    [InlineData("1600 people came", "sixteen hundred people came")]
    [InlineData("2005 Main Street", "twenty oh five Main Street")]
    [InlineData("In 2005 prices rose", "In two thousand five prices rose")]
    [InlineData("Go N now", "Go N now")]
    [InlineData("Elm Street E.", "Elm Street east.")]
    public void HouseNumbersAndCompassPointsOnlyInAnAddress(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Theory]
    [InlineData("12 x 8", "twelve by eight")]
    [InlineData("12x8 ft", "twelve by eight feet")]
    [InlineData("2 m × 3 m", "two meters by three meters")]
    [InlineData("a 12 x 8 ft rug", "a twelve by eight foot rug")]
    [InlineData("0x1F", "0x one F")]
    [InlineData("2x faster", "2x faster")]
    [InlineData("3 x 4 = 12", "three x four equals twelve")]
    public void DimensionsAreBy(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Theory]
    [InlineData("2 tsp. sugar", "two teaspoons sugar")]
    [InlineData("Add 2 tsp.", "Add two teaspoons.")]
    [InlineData("1 tbsp", "one tablespoon")]
    [InlineData("12 pt font", "twelve point font")]
    [InlineData("2 pt milk", "two pints milk")]
    [InlineData("3/4 cup", "three quarters of a cup")]
    [InlineData("½ cup", "half a cup")]
    [InlineData("3/4 oz", "three quarters of an ounce")]
    [InlineData("2 1/4 lb", "two and a quarter pounds")]
    [InlineData("a 5/8-inch bolt", "a five-eighth-inch bolt")]
    [InlineData("a 1/4-lb burger", "a quarter-pound burger")]
    [InlineData("3/4 of a cup", "three quarters of a cup")]
    [InlineData("2/3 agreed", "two thirds agreed")]
    public void CookingUnitsAndFractionsBeforeUnits(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Theory]
    [InlineData("at 5 pm EST", "at five P M E S T")]
    [InlineData("at 10:30 UTC.", "at ten thirty U T C.")]
    [InlineData("the EST office", "the EST office")]
    [InlineData("Sat. and Sun.", "Saturday and Sunday.")]
    [InlineData("a Sat. night", "a Sat. night")]
    [InlineData("in Sept.", "in September.")]
    [InlineData("Sept. 9", "September ninth")]
    [InlineData("Ask Jan.", "Ask Jan.")]
    public void CalendarAbbreviationsAndTimeZones(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

    [Theory]
    [InlineData("Super Bowl LVIII", "Super Bowl fifty-eight")]
    [InlineData("Super Bowl I", "Super Bowl one")]
    [InlineData("John Smith III", "John Smith the third")]
    [InlineData("John Smith I think", "John Smith I think")]
    [InlineData("Final Fantasy VII", "Final Fantasy seven")]
    [InlineData("Rocky LII", "Rocky fifty-two")]
    [InlineData("The CLI and LCD", "The CLI and LCD")]
    [InlineData("Louis Vuitton LV", "Louis Vuitton LV")]
    public void RomanNumeralsAfterEventsAndNames(string written, string spoken) => Assert.Equal(spoken, s_us.Normalize(written));

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
