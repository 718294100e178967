using Voxgate.Speech.Text;

namespace Voxgate.Tests.Text;

public class EnglishNormalizerTests
{
    [Theory]
    [InlineData("I have 3 cats.", "I have three cats.")]
    [InlineData("It costs $3.50 today.", "It costs three dollars and fifty cents today.")]
    [InlineData("Only $1 and £5.99 and €20.", "Only one dollar and five pounds and ninety-nine pence and twenty euros.")]
    [InlineData("Pay $1,250,000 now", "Pay one million two hundred fifty thousand dollars now")]
    [InlineData("Growth was 12.5% this year", "Growth was twelve point five percent this year")]
    [InlineData("Meet at 10:30 am or 9:05", "Meet at ten thirty A M or nine oh five")]
    [InlineData("Dinner at 7:00", "Dinner at seven o'clock")]
    [InlineData("Born on 2026-11-21.", "Born on November twenty-first, twenty twenty-six.")]
    [InlineData("Due 12/25/1999", "Due December twenty-fifth, nineteen ninety-nine")]
    [InlineData("The 1st, 2nd, 3rd and 21st.", "The first, second, third and twenty-first.")]
    [InlineData("In 1999 and 2005 and 2010", "In nineteen ninety-nine and two thousand five and twenty ten")]
    [InlineData("Run 5 km at 20°C.", "Run five kilometers at twenty degrees Celsius.")]
    [InlineData("A 1 kg bag and 250 ml.", "A one kilogram bag and two hundred fifty milliliters.")]
    [InlineData("Pi is 3.14159", "Pi is three point one four one five nine")]
    [InlineData("It fell to -4 degrees", "It fell to minus four degrees")]
    [InlineData("Dr. Smith vs. Mr. Jones, etc.", "Doctor Smith versus Mister Jones, et cetera.")]
    [InlineData("Room No. 7", "Room number seven")]
    [InlineData("12,345 people", "twelve thousand three hundred forty-five people")]
    [InlineData("Invalid 2026-13-45 stays", "Invalid twenty twenty-six-thirteen-forty-five stays")]
    [InlineData("It cost $4.2 million.", "It cost four point two million dollars.")]
    [InlineData("Call 555-0142.", "Call five five five, oh one four two.")]
    [InlineData("Born March 3, 1998.", "Born March third, nineteen ninety-eight.")]
    [InlineData("Add 3/4 of it.", "Add three quarters of it.")]
    [InlineData("He lives on Baker St.", "He lives on Baker Street.")]
    public void WritesWhatIsSaid(string input, string spoken) => Assert.Equal(spoken, EnglishNormalizer.Normalize(input));

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(15, "fifteen")]
    [InlineData(40, "forty")]
    [InlineData(99, "ninety-nine")]
    [InlineData(100, "one hundred")]
    [InlineData(1001, "one thousand one")]
    [InlineData(1_000_000_007, "one billion seven")]
    public void NumbersInWords(long number, string words) => Assert.Equal(words, EnglishNormalizer.Words(number));

    [Theory]
    [InlineData(1, "first")]
    [InlineData(12, "twelfth")]
    [InlineData(20, "twentieth")]
    [InlineData(42, "forty-second")]
    [InlineData(100, "one hundredth")]
    public void Ordinals(long number, string words) => Assert.Equal(words, EnglishNormalizer.OrdinalWords(number));
}
