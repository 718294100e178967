namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Writes English text the way a careful reader says it, and keeps track of what was rewritten
/// (<see cref="TextAlignment"/>), so that subtitles and word times can point back at what the caller wrote.
/// </summary>
/// <remarks>
/// One pass over the text (<see cref="TokenPass"/>): at each place a token can start, the readers are offered it in
/// order, and the first that reads a token there wins; its words replace the token, and the pass goes on after it. So a token is read once, by
/// the most specific reader ("$4.2 million" by the money reader, never as "$4.2" and then "million"), and no reader
/// ever reads another's words. Where none reads, the character is kept. A dash right after a number and before
/// another is "to" (10-12, 1990-95, 5-10 kg), and "and" after "between" (between 20-30 → "between twenty and
/// thirty"); a chain of three or more (2026-13-45) is not a range.
/// </remarks>
public sealed class EnglishFrontEnd
{
    /// <summary>The readers in the order they are offered a position: the most specific first.</summary>
    public static IReadOnlyList<ITokenReader> Readers => s_pass.Readers;

    private static readonly TokenPass s_pass = new(
    [
        new UrlReader(),
        new AbbreviationReader(),
        new RomanNumeralReader(),
        new MoneyReader(),
        new TelephoneReader(),
        new StreetAddressReader(),
        new IdentifierReader(),
        new DateReader(),
        new TimeReader(),
        new PercentReader(),
        new DimensionReader(),
        new UnitReader(),
        new FractionReader(),
        new YearReader(),
        new OrdinalReader(),
        new NumberReader(),
        new SymbolReader(),
    ], (context, firstNumber) => context.PreviousWord(firstNumber) is { Word: "between" or "Between" } ? " and " : " to ");

    private readonly EnglishReadingOptions _options;

    public EnglishFrontEnd(EnglishReadingOptions? options = null)
    {
        _options = options ?? EnglishReadingOptions.Default;
    }

    public static EnglishFrontEnd Default { get; } = new();

    /// <summary>The text as spoken.</summary>
    public string Normalize(string text) => Read(text).Spoken;

    /// <summary>The text as spoken, and where each rewritten stretch came from.</summary>
    public (string Spoken, TextAlignment Alignment) Read(string text) => s_pass.Read(new ReadingContext(text, _options));

    /// <summary>
    /// Reads a whole token as one kind (SSML's say-as), or null when it is not one of that kind. Digits are read one
    /// by one whatever they are.
    /// </summary>
    public string? ReadAs(TokenKind kind, string token)
    {
        token = token.Trim();
        if (token.Length == 0)
        {
            return null;
        }
        if (kind == TokenKind.Digits)
        {
            return token.Any(char.IsAsciiDigit) ? NumberWords.Digits(token) : null;
        }
        return s_pass.ReadAs(new ReadingContext(token, _options), kind);
    }
}
