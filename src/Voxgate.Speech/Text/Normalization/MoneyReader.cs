using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Amounts of money in the common currencies, written with the symbol or code before ($4.20, €3.5bn, US$10, CHF 50)
/// or after (5 €, 100 EUR, 50¢), with scale words (million, bn, m, k) and ranges ($10-20 million). Whole units and
/// cents are read as such (£1,200.99 → one thousand two hundred pounds and ninety-nine pence); with a scale word the
/// number is read as a decimal and the currency comes last ($4.2 million → four point two million dollars); three or
/// more decimals are read as a decimal.
/// </summary>
public sealed partial class MoneyReader : ITokenReader
{
    /// <summary>A currency's names: the unit, its plural, and the hundredth and its plural (none for the yen).</summary>
    public sealed record Currency(string Unit, string Units, string? Cent, string? Cents);

    private static readonly Currency s_dollar = new("dollar", "dollars", "cent", "cents");

    private static readonly Dictionary<string, Currency> s_currencies = new(StringComparer.Ordinal)
    {
        ["$"] = s_dollar, ["US$"] = new("U S dollar", "U S dollars", "cent", "cents"), ["USD"] = new("U S dollar", "U S dollars", "cent", "cents"),
        ["A$"] = new("Australian dollar", "Australian dollars", "cent", "cents"), ["AUD"] = new("Australian dollar", "Australian dollars", "cent", "cents"),
        ["C$"] = new("Canadian dollar", "Canadian dollars", "cent", "cents"), ["CA$"] = new("Canadian dollar", "Canadian dollars", "cent", "cents"),
        ["CAD"] = new("Canadian dollar", "Canadian dollars", "cent", "cents"),
        ["NZ$"] = new("New Zealand dollar", "New Zealand dollars", "cent", "cents"), ["HK$"] = new("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
        ["S$"] = new("Singapore dollar", "Singapore dollars", "cent", "cents"),
        ["€"] = new("euro", "euros", "cent", "cents"), ["EUR"] = new("euro", "euros", "cent", "cents"),
        ["£"] = new("pound", "pounds", "penny", "pence"), ["GBP"] = new("pound", "pounds", "penny", "pence"),
        ["¥"] = new("yen", "yen", null, null), ["JPY"] = new("yen", "yen", null, null),
        ["CNY"] = new("yuan", "yuan", "fen", "fen"), ["RMB"] = new("yuan", "yuan", "fen", "fen"),
        ["₹"] = new("rupee", "rupees", "paisa", "paise"), ["INR"] = new("rupee", "rupees", "paisa", "paise"),
        ["₩"] = new("won", "won", null, null), ["KRW"] = new("won", "won", null, null),
        ["₽"] = new("ruble", "rubles", "kopek", "kopeks"), ["RUB"] = new("ruble", "rubles", "kopek", "kopeks"),
        ["CHF"] = new("Swiss franc", "Swiss francs", "centime", "centimes"),
        ["₺"] = new("lira", "lira", "kurus", "kurus"), ["₪"] = new("shekel", "shekels", "agora", "agorot"),
        ["₱"] = new("peso", "pesos", "centavo", "centavos"), ["R$"] = new("real", "reais", "centavo", "centavos"),
        ["₦"] = new("naira", "naira", "kobo", "kobo"), ["¢"] = new("cent", "cents", null, null),
    };

    private static readonly Dictionary<string, string> s_scales = new(StringComparer.Ordinal)
    {
        ["thousand"] = "thousand", ["million"] = "million", ["billion"] = "billion", ["trillion"] = "trillion",
        ["k"] = "thousand", ["K"] = "thousand", ["m"] = "million", ["M"] = "million", ["mn"] = "million", ["mln"] = "million",
        ["b"] = "billion", ["B"] = "billion", ["bn"] = "billion", ["tn"] = "trillion", ["T"] = "trillion", ["tr"] = "trillion",
    };

    private const string Scale = @"(?:\s?(?<scale>thousand|million|billion|trillion)|(?<scale>mln|mn|bn|tn|tr|[kKmMbBT]))";

    [GeneratedRegex(@"\G(?<minus>[-−])?(?<currency>US\$|A\$|CA\$|C\$|NZ\$|HK\$|S\$|R\$|[$€£¥₹₩₽₺₪₱₦]|(?:USD|EUR|GBP|JPY|CNY|RMB|INR|KRW|RUB|CHF|AUD|CAD)\s?)(?<a>" + Patterns.Number + @")(?:" + Patterns.RangeDash + @"(?:US\$|A\$|C\$|[$€£¥₹])?(?<b>" + Patterns.Number + "))?" + Scale + @"?(?![\p{L}\p{N}]|[.,]\d)")]
    private static partial Regex Before();

    [GeneratedRegex(@"\G(?<minus>[-−])?(?<a>" + Patterns.Number + @")(?:" + Patterns.RangeDash + "(?<b>" + Patterns.Number + "))?" + Scale + @"?\s?(?<currency>[€£¢₹₽₩]|USD|EUR|GBP|JPY|CNY|RMB|INR|CHF|AUD|CAD)(?![\p{L}\p{N}])")]
    private static partial Regex After();

    public TokenKind Kind => TokenKind.Money;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        char first = text[start];
        bool signed = first is '-' or '−';
        if (signed && start > 0 && char.IsLetterOrDigit(text[start - 1]))
        {
            return false; // a hyphen between words or numbers, not a minus
        }
        if (char.IsLower(first))
        {
            return false; // no currency starts with a small letter
        }
        Match match = char.IsAsciiDigit(first) || first == '.' || signed ? After().Match(text, start) : Match.Empty;
        if (!match.Success)
        {
            match = Before().Match(text, start);
        }
        if (!match.Success)
        {
            return false;
        }
        Currency currency = s_currencies[match.Groups["currency"].Value.Trim()];
        string? scale = match.Groups["scale"].Success ? s_scales[match.Groups["scale"].Value] : null;
        if (context.IsAttributive(start, start + match.Length))
        {
            currency = currency with { Units = currency.Unit }; // a ten dollar bill
        }
        string spoken = Say(match.Groups["a"].Value, match.Groups["b"].Success ? match.Groups["b"].Value : null, scale, currency);
        reading = new TokenReading(match.Length, (match.Groups["minus"].Success ? "minus " : "") + spoken);
        return true;
    }

    /// <summary>An amount (or a range of amounts) in a currency, with an optional scale word.</summary>
    public static string Say(string amount, string? upTo, string? scale, Currency currency)
    {
        if (scale is not null)
        {
            return $"{NumberWords.Number(amount)}{(upTo is null ? "" : " to " + NumberWords.Number(upTo))} {scale} {currency.Units}";
        }
        if (upTo is not null && NumberWords.WholeValue(amount) is not null && NumberWords.WholeValue(upTo) is not null)
        {
            return $"{NumberWords.Number(amount)} to {NumberWords.Number(upTo)} {currency.Units}";
        }
        string first = Amount(amount, currency);
        return upTo is null ? first : $"{first} to {Amount(upTo, currency)}";
    }

    /// <summary>Whole units and hundredths: "three dollars and fifty cents", "ninety-nine cents", "one dollar".</summary>
    public static string Amount(string amount, Currency currency)
    {
        int dot = amount.IndexOf('.');
        string whole = dot < 0 ? amount : amount[..dot];
        string decimals = dot < 0 ? "" : amount[(dot + 1)..];
        long? units = whole.Length == 0 ? 0 : NumberWords.WholeValue(whole);
        if (units is null || decimals.Length > 2 || (decimals.Length > 0 && currency.Cent is null))
        {
            return $"{NumberWords.Number(amount)} {currency.Units}"; // a decimal amount: read as a number
        }
        int cents = decimals.Length == 0 ? 0 : int.Parse(decimals.PadRight(2, '0'), System.Globalization.CultureInfo.InvariantCulture);
        string unitWords = $"{NumberWords.Cardinal(units.Value)} {(units == 1 ? currency.Unit : currency.Units)}";
        if (cents == 0)
        {
            return unitWords;
        }
        string centWords = $"{NumberWords.Cardinal(cents)} {(cents == 1 ? currency.Cent : currency.Cents)}";
        return units == 0 ? centWords : $"{unitWords} and {centWords}";
    }

    /// <summary>A currency by its symbol or ISO code, for SSML's say-as currency.</summary>
    public static Currency? Find(string symbolOrCode) => s_currencies.GetValueOrDefault(symbolOrCode);
}
