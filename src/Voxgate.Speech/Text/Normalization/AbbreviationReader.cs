using System.Text.RegularExpressions;

namespace Voxgate.Speech.Text.Normalization;

/// <summary>
/// Abbreviations expanded, some by their neighbours: "St." is Street after a name or a number (Baker St., 5th St.)
/// and Saint before a name (St. Louis); "Dr." is Drive after a name (Mulholland Dr.) and Doctor before one
/// (Dr. Smith). "No." is "number" only before a number. A day's or a month's abbreviation is its name only with its
/// period and not after an article (Sat. → Saturday, Sept. → September; "the Sun." stays); a month's only before a
/// after a word that leads into a time (in Sept., since Oct.), since Jan. may be a name (before a day's number it is
/// a date's, read by <see cref="DateReader"/>). Two days' abbreviations joined by a dash are a range with or
/// without periods (Mon-Fri → Monday to Friday). An abbreviation
/// whose period also ends the sentence keeps it.
/// </summary>
public sealed partial class AbbreviationReader : ITokenReader
{
    private enum Rule
    {
        /// <summary>Always the expansion.</summary>
        Always,

        /// <summary>A title: only before a capitalised word when written without a period (Mr Smith).</summary>
        Title,

        /// <summary>Before a number only (No. 7, p. 12).</summary>
        BeforeNumber,

        /// <summary>Street or Saint.</summary>
        Street,

        /// <summary>Drive or Doctor.</summary>
        Drive,

        /// <summary>A day of the week: with its period, not after an article.</summary>
        Day,

        /// <summary>A month alone: with its period, after a word that leads into a time.</summary>
        Month,
    }

    private static readonly Dictionary<string, (string Expansion, Rule Rule)> s_abbreviations = new(StringComparer.Ordinal)
    {
        ["Mr"] = ("Mister", Rule.Title), ["Mrs"] = ("Missus", Rule.Title), ["Ms"] = ("Miz", Rule.Title), ["Mx"] = ("Mix", Rule.Title),
        ["Prof"] = ("Professor", Rule.Title), ["Gen"] = ("General", Rule.Title), ["Col"] = ("Colonel", Rule.Title),
        ["Capt"] = ("Captain", Rule.Title), ["Lt"] = ("Lieutenant", Rule.Title), ["Sgt"] = ("Sergeant", Rule.Title),
        ["Gov"] = ("Governor", Rule.Title), ["Sen"] = ("Senator", Rule.Title), ["Rep"] = ("Representative", Rule.Title),
        ["Rev"] = ("Reverend", Rule.Title), ["Hon"] = ("Honorable", Rule.Title), ["Pres"] = ("President", Rule.Title),
        ["Mt"] = ("Mount", Rule.Title), ["Ft"] = ("Fort", Rule.Title),
        ["Jr"] = ("Junior", Rule.Always), ["Sr"] = ("Senior", Rule.Always), ["vs"] = ("versus", Rule.Always),
        ["etc"] = ("et cetera", Rule.Always), ["approx"] = ("approximately", Rule.Always), ["Inc"] = ("Incorporated", Rule.Always),
        ["Ltd"] = ("Limited", Rule.Always), ["Co"] = ("Company", Rule.Always), ["Corp"] = ("Corporation", Rule.Always),
        ["Dept"] = ("Department", Rule.Always), ["Ave"] = ("Avenue", Rule.Always), ["Rd"] = ("Road", Rule.Always),
        ["Blvd"] = ("Boulevard", Rule.Always), ["Ln"] = ("Lane", Rule.Always), ["Hwy"] = ("Highway", Rule.Always),
        ["Apt"] = ("Apartment", Rule.Always), ["Ste"] = ("Suite", Rule.Always), ["Univ"] = ("University", Rule.Always),
        ["Fig"] = ("Figure", Rule.Always), ["fig"] = ("figure", Rule.Always), ["Est"] = ("Established", Rule.Always),
        ["No"] = ("number", Rule.BeforeNumber), ["no"] = ("number", Rule.BeforeNumber), ["Nos"] = ("numbers", Rule.BeforeNumber),
        ["p"] = ("page", Rule.BeforeNumber), ["pp"] = ("pages", Rule.BeforeNumber), ["vol"] = ("volume", Rule.BeforeNumber),
        ["Vol"] = ("Volume", Rule.BeforeNumber), ["ch"] = ("chapter", Rule.BeforeNumber), ["Ch"] = ("Chapter", Rule.BeforeNumber),
        ["St"] = ("", Rule.Street), ["Dr"] = ("", Rule.Drive),
        ["Mon"] = ("Monday", Rule.Day), ["Tue"] = ("Tuesday", Rule.Day), ["Tues"] = ("Tuesday", Rule.Day), ["Wed"] = ("Wednesday", Rule.Day),
        ["Thu"] = ("Thursday", Rule.Day), ["Thur"] = ("Thursday", Rule.Day), ["Thurs"] = ("Thursday", Rule.Day), ["Fri"] = ("Friday", Rule.Day),
        ["Sat"] = ("Saturday", Rule.Day), ["Sun"] = ("Sunday", Rule.Day),
        ["Jan"] = ("January", Rule.Month), ["Feb"] = ("February", Rule.Month), ["Mar"] = ("March", Rule.Month), ["Apr"] = ("April", Rule.Month),
        ["Jun"] = ("June", Rule.Month), ["Jul"] = ("July", Rule.Month), ["Aug"] = ("August", Rule.Month), ["Sep"] = ("September", Rule.Month),
        ["Sept"] = ("September", Rule.Month), ["Oct"] = ("October", Rule.Month), ["Nov"] = ("November", Rule.Month), ["Dec"] = ("December", Rule.Month),
    };

    /// <summary>Words after which a month's abbreviation is the month (in Sept., since Oct.).</summary>
    private static readonly HashSet<string> s_beforeMonths = new(StringComparer.OrdinalIgnoreCase)
    {
        "in", "by", "since", "until", "till", "from", "through", "to", "of", "early", "mid", "late", "before", "after", "during", "each", "every", "next", "last", "this",
    };

    private static readonly Dictionary<string, (string Expansion, Rule Rule)>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Abbreviations that often end a sentence, so that their period may be the sentence's too.</summary>
    private static readonly HashSet<string> s_endSentences = new(StringComparer.Ordinal)
    {
        "etc", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "Ave", "Rd", "Blvd", "Ln", "Hwy", "Dept", "Univ", "Apt", "Ste",
    };

    /// <summary>Abbreviations made of letters and periods: e.g., i.e., a.k.a.</summary>
    private static readonly Dictionary<string, string> s_dotted = new(StringComparer.Ordinal)
    {
        ["e.g."] = "for example", ["i.e."] = "that is", ["a.k.a."] = "also known as", ["cf."] = "compare",
    };

    [GeneratedRegex(@"\G(?<word>[A-Za-z]{1,6})(?<period>\.)?(?![\p{L}\p{N}])")]
    private static partial Regex Word();

    [GeneratedRegex(@"\G(?:e\.g\.|i\.e\.|a\.k\.a\.|cf\.)")]
    private static partial Regex Dotted();

    /// <summary>Two days' abbreviations joined by a dash (Mon-Fri, Sat–Sun), periods optional: a range of days.</summary>
    [GeneratedRegex(@"\G(?<from>[A-Z][a-z]{2,4})\.?\s?[-–]\s?(?<to>[A-Z][a-z]{2,4})(?<period>\.)?(?![\p{L}\p{N}])")]
    private static partial Regex DayRange();

    public TokenKind Kind => TokenKind.Abbreviation;

    public bool TryRead(ReadingContext context, int start, out TokenReading reading)
    {
        reading = default;
        string text = context.Text;
        if (!char.IsAsciiLetter(text[start]) || (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '@' or '/')))
        {
            return false;
        }
        int wordEnd = start;
        while (wordEnd < text.Length && char.IsAsciiLetter(text[wordEnd]))
        {
            wordEnd++;
        }
        bool known = wordEnd - start <= 6 && s_lookup.ContainsKey(text.AsSpan(start, wordEnd - start));
        if (!known && (wordEnd >= text.Length || text[wordEnd] != '.'))
        {
            return false; // the common case, a word: no regular expression run
        }
        Match dotted = Dotted().Match(text, start);
        if (dotted.Success)
        {
            string said = s_dotted[dotted.Value];
            reading = new TokenReading(dotted.Length, said + (context.PeriodEndsSentence(start + dotted.Length) ? "." : ""), IsNumber: false);
            return true;
        }
        Match days = DayRange().Match(text, start);
        if (days.Success && s_abbreviations.TryGetValue(days.Groups["from"].Value, out var from) && from.Rule == Rule.Day
            && s_abbreviations.TryGetValue(days.Groups["to"].Value, out var to) && to.Rule == Rule.Day)
        {
            bool endsSentence = days.Groups["period"].Success && context.PeriodEndsSentence(start + days.Length);
            reading = new TokenReading(days.Length, $"{from.Expansion} to {to.Expansion}" + (endsSentence ? "." : ""), IsNumber: false);
            return true;
        }
        Match match = Word().Match(text, start);
        if (!match.Success || !s_abbreviations.TryGetValue(match.Groups["word"].Value, out var entry))
        {
            return false;
        }
        bool period = match.Groups["period"].Success;
        int end = start + match.Length;
        string? next = context.NextWord(end);
        bool nextIsName = next is not null && ReadingContext.IsCapitalised(next) && char.IsLetter(next[0]);
        bool nextIsNumber = next is not null && char.IsAsciiDigit(next[0]);
        var previous = context.PreviousWord(start);
        // A capitalised word, not the first of its sentence, or a number (5th St.): the name of a street.
        bool afterName = previous is { } p && ((ReadingContext.IsCapitalised(p.Word) && !p.StartsSentence) || char.IsAsciiDigit(p.Word[0]));
        // At a sentence's start a capital says nothing, but a title is always followed by a name: "Sunset Dr. is long."
        bool afterCapital = previous is { } q && ReadingContext.IsCapitalised(q.Word);
        string? expansion = entry.Rule switch
        {
            Rule.Always => period || match.Groups["word"].Value is "vs" ? entry.Expansion : null,
            Rule.Title => period || nextIsName ? entry.Expansion : null,
            Rule.BeforeNumber => period && nextIsNumber ? entry.Expansion : null,
            Rule.Street => afterName || afterCapital && !nextIsName ? "Street" : nextIsName ? "Saint" : period ? "Street" : null,
            Rule.Drive => afterName || afterCapital && !nextIsName ? "Drive" : nextIsName || period ? "Doctor" : null,
            Rule.Day => period && previous is not { Word: "the" or "The" or "a" or "A" } ? entry.Expansion : null,
            Rule.Month => period && !nextIsNumber && previous is { } m && s_beforeMonths.Contains(m.Word) ? entry.Expansion : null,
            _ => null,
        };
        if (expansion is null)
        {
            return false;
        }
        // The period also ends the sentence when nothing that needs a name follows (nor a compass point: Main St. SE).
        bool beforeCompassPoint = expansion is "Street" or "Drive" && next is not null && StreetAddressReader.IsCompassPoint(next);
        bool keepPeriod = period && !beforeCompassPoint
            && (s_endSentences.Contains(match.Groups["word"].Value) || expansion is "Street" or "Drive" || entry.Rule is Rule.Day or Rule.Month)
            && context.PeriodEndsSentence(end);
        reading = new TokenReading(match.Length, expansion + (keepPeriod ? "." : ""), IsNumber: false);
        return true;
    }
}
