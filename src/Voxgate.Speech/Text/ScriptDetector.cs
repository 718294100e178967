using System.Text;

namespace Voxgate.Speech.Text;

/// <summary>
/// Guesses the language from the writing system (MiniMax's <c>language_boost: auto</c>): the script most letters are
/// in names a language (Han → Mandarin, kana → Japanese, Hangul → Korean, ...). Latin text is left to the voice, since
/// the script cannot tell English from French.
/// </summary>
public static class ScriptDetector
{
    /// <returns>A language tag as eSpeak names it, or null when the script does not decide.</returns>
    public static string? Detect(string text)
    {
        var counts = new Dictionary<string, int>();
        bool kana = false;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }
            int c = rune.Value;
            string? language = c switch
            {
                >= 0x3040 and <= 0x30FF => "ja",                                     // hiragana, katakana
                >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF => "cmn",
                >= 0xAC00 and <= 0xD7AF or >= 0x1100 and <= 0x11FF => "ko",         // Hangul
                >= 0x0400 and <= 0x04FF => "ru",                                     // Cyrillic
                >= 0x0600 and <= 0x06FF => "ar",
                >= 0x0590 and <= 0x05FF => "he",
                >= 0x0370 and <= 0x03FF => "el",
                >= 0x0900 and <= 0x097F => "hi",                                     // Devanagari
                >= 0x0E00 and <= 0x0E7F => "th",
                >= 0x0980 and <= 0x09FF => "bn",
                >= 0x0B80 and <= 0x0BFF => "ta",
                >= 0x10A0 and <= 0x10FF => "ka",
                >= 0x0530 and <= 0x058F => "hy",
                _ => null,
            };
            if (language is null)
            {
                continue;
            }
            kana |= language == "ja";
            counts[language] = counts.GetValueOrDefault(language) + 1;
        }
        if (counts.Count == 0)
        {
            return null;
        }
        // Japanese mixes kanji with kana: any kana makes Han text Japanese.
        if (kana && counts.Remove("cmn", out int han))
        {
            counts["ja"] += han;
        }
        int letters = text.EnumerateRunes().Count(Rune.IsLetter);
        (string best, int count) = counts.MaxBy(p => p.Value) is var top ? (top.Key, top.Value) : default;
        return count * 2 >= letters ? best : null;
    }
}
