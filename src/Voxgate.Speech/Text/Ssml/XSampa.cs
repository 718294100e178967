using System.Text;

namespace Voxgate.Speech.Text.Ssml;

/// <summary>
/// X-SAMPA to IPA, so that <c>&lt;phoneme alphabet="x-sampa"&gt;</c> takes the same path as IPA. The common symbols
/// of the alphabet (pulmonic consonants, vowels, stress, length and the usual diacritics), longest first; a symbol
/// not in the table is refused rather than guessed.
/// </summary>
public static class XSampa
{
    private static readonly (string XSampa, string Ipa)[] s_symbols = [.. new (string, string)[]
    {
        ("r\\`", "ɻ"), ("@\\", "ɘ"), ("3\\", "ɞ"), ("r\\", "ɹ"), ("R\\", "ʀ"), ("h\\", "ɦ"), ("j\\", "ʝ"), ("M\\", "ɰ"), ("l\\", "ɺ"),
        ("B\\", "ʙ"), ("G\\", "ɢ"), ("N\\", "ɴ"), ("L\\", "ʟ"), ("X\\", "ħ"), ("?\\", "ʕ"), ("z\\", "ʑ"), ("s\\", "ɕ"), ("x\\", "ɧ"),
        ("I\\", "ᵻ"), ("U\\", "ᵿ"), ("@`", "ɚ"), ("t`", "ʈ"), ("d`", "ɖ"), ("s`", "ʂ"), ("z`", "ʐ"), ("n`", "ɳ"), ("l`", "ɭ"),
        ("r`", "ɽ"), (":\\", "ˑ"), ("_h", "ʰ"), ("_j", "ʲ"), ("_w", "ʷ"), ("_G", "ˠ"), ("_~", "̃"), ("_0", "̥"), ("_=", "̩"),
        ("?", "ʔ"), ("N", "ŋ"), ("J", "ɲ"), ("F", "ɱ"), ("4", "ɾ"), ("R", "ʁ"), ("T", "θ"), ("D", "ð"), ("S", "ʃ"), ("Z", "ʒ"),
        ("C", "ç"), ("G", "ɣ"), ("X", "χ"), ("K", "ɬ"), ("L", "ʎ"), ("5", "ɫ"), ("H", "ɥ"), ("W", "ʍ"), ("B", "β"), ("P", "ʋ"),
        ("1", "ɨ"), ("}", "ʉ"), ("M", "ɯ"), ("I", "ɪ"), ("Y", "ʏ"), ("U", "ʊ"), ("2", "ø"), ("8", "ɵ"), ("7", "ɤ"), ("@", "ə"),
        ("E", "ɛ"), ("9", "œ"), ("3", "ɜ"), ("V", "ʌ"), ("O", "ɔ"), ("{", "æ"), ("6", "ɐ"), ("&", "ɶ"), ("A", "ɑ"), ("Q", "ɒ"),
        ("\"", "ˈ"), ("%", "ˌ"), (":", "ː"), ("~", "̃"), ("=", "̩"), ("`", "˞"), (".", "."), ("-", ""), (" ", " "),
    }.OrderByDescending(s => s.Item1.Length)];

    /// <summary>The IPA for an X-SAMPA transcription, or null naming the first symbol it does not know.</summary>
    public static string? ToIpa(string xsampa, out string? unknown)
    {
        var ipa = new StringBuilder(xsampa.Length);
        unknown = null;
        for (int i = 0; i < xsampa.Length;)
        {
            (string symbol, string value) = s_symbols.FirstOrDefault(s => string.CompareOrdinal(xsampa, i, s.XSampa, 0, s.XSampa.Length) == 0);
            if (symbol is not null)
            {
                ipa.Append(value);
                i += symbol.Length;
            }
            else if (char.IsAsciiLetterLower(xsampa[i]))
            {
                ipa.Append(xsampa[i++]); // the lower-case letters are IPA's own (p, b, t, d, k, g, m, n, a, e, i, o, u, ...)
            }
            else
            {
                unknown = xsampa[i].ToString();
                return null;
            }
        }
        return ipa.ToString();
    }
}
