using System.Text;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Engines;

/// <summary>
/// IPA to eSpeak NG's phoneme mnemonics (its Kirshenbaum-based ASCII), for the English phoneme inventory plus the
/// common symbols of other European languages. A symbol with no mapping is refused, naming it, rather than guessed.
/// </summary>
public static class IpaToEspeak
{
    private static readonly (string Ipa, string Espeak)[] s_map =
    [
        ("eɪ", "eI"), ("aɪ", "aI"), ("ɔɪ", "OI"), ("aʊ", "aU"), ("oʊ", "oU"), ("əʊ", "@U"), ("ɪə", "i@"), ("eə", "e@"), ("ʊə", "U@"),
        ("tʃ", "tS"), ("dʒ", "dZ"), ("t͡ʃ", "tS"), ("d͡ʒ", "dZ"),
        ("iː", "i:"), ("uː", "u:"), ("ɑː", "A:"), ("ɔː", "O:"), ("ɜː", "3:"), ("ɝ", "3:"), ("ɚ", "3"), ("ɜ", "3:"),
        ("i", "i"), ("ɪ", "I"), ("e", "e"), ("ɛ", "E"), ("æ", "a"), ("a", "a"), ("ɑ", "A:"), ("ɒ", "0"), ("ɔ", "O"), ("o", "o"),
        ("ʊ", "U"), ("u", "u:"), ("ʌ", "V"), ("ə", "@"), ("ɐ", "a#"), ("y", "y"), ("ø", "Y"), ("œ", "W"), ("ɨ", "i#"),
        ("p", "p"), ("b", "b"), ("t", "t"), ("d", "d"), ("k", "k"), ("ɡ", "g"), ("g", "g"), ("f", "f"), ("v", "v"),
        ("θ", "T"), ("ð", "D"), ("s", "s"), ("z", "z"), ("ʃ", "S"), ("ʒ", "Z"), ("x", "x"), ("ç", "C"), ("h", "h"),
        ("m", "m"), ("n", "n"), ("ŋ", "N"), ("ɲ", "n^"), ("l", "l"), ("ɫ", "l"), ("ʎ", "l^"), ("ɹ", "r"), ("r", "r"), ("ɾ", "*"),
        ("ʁ", "r"), ("j", "j"), ("w", "w"), ("ʔ", "?"),
        ("ˈ", "'"), ("ˌ", ","), ("ː", ":"), (" ", " "), (".", ""), ("‿", ""), ("ʲ", ""), ("\u0303", "~"),
    ];

    public static string Convert(string ipa)
    {
        var mnemonics = new StringBuilder(ipa.Length * 2);
        int i = 0;
        while (i < ipa.Length)
        {
            (string Ipa, string Espeak) match = s_map.FirstOrDefault(m => string.CompareOrdinal(ipa, i, m.Ipa, 0, m.Ipa.Length) == 0);
            if (match.Ipa is null)
            {
                throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "pronunciation_dict",
                    $"The IPA symbol '{ipa[i]}' (U+{(int)ipa[i]:X4}) in /{ipa}/ has no eSpeak NG equivalent here; spell the word in plain text instead.");
            }
            mnemonics.Append(match.Espeak);
            i += match.Ipa.Length;
        }
        return mnemonics.ToString();
    }
}
