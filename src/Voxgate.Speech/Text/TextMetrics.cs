using System.Text;

namespace Voxgate.Speech.Text;

/// <summary>How text is counted, everywhere: limits, billing and usage all use <see cref="CountCharacters"/>.</summary>
public static class TextMetrics
{
    /// <summary>
    /// Unicode code points (a surrogate pair counts once, so "😀" is 1 and "é" precomposed is 1). This matches what a
    /// reader counts for Latin and CJK text and cannot be inflated by UTF-16 or UTF-8 encoding details.
    /// </summary>
    public static int CountCharacters(string text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    /// <summary>True when the text holds at least one letter or digit.</summary>
    public static bool HasSpeakableCharacters(ReadOnlySpan<char> text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return true;
            }
        }
        return false;
    }
}
