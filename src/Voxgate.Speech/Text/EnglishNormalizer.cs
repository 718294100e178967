using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Speech.Text;

/// <summary>
/// Writes English text the way it is read aloud (MiniMax's <c>english_normalization</c> / <c>text_normalization</c>),
/// so that every engine reads numbers, money, dates, times, units and abbreviations alike. The reading itself is
/// <see cref="EnglishFrontEnd"/>: one small reader per kind of token (<c>Text/Normalization/</c>), each with its rules.
/// </summary>
public static class EnglishNormalizer
{
    public static string Normalize(string text) => EnglishFrontEnd.Default.Normalize(text);

    /// <summary>"one hundred twenty-three"; negative numbers start with "minus".</summary>
    public static string Words(long number) => NumberWords.Cardinal(number);

    /// <summary>"first", "twenty-second", "one hundredth".</summary>
    public static string OrdinalWords(long number) => NumberWords.Ordinal(number);

    /// <summary>Years the way they are said: "nineteen ninety-nine", "two thousand five", "twenty twenty-six".</summary>
    public static string YearWords(int year) => NumberWords.Year(year);
}
