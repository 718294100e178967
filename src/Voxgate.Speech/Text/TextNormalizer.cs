using System.Globalization;
using System.Text;

namespace Voxgate.Speech.Text;

/// <summary>
/// Turns caller text into clean text for engines: NFC, one kind of line break, no control or invisible format
/// characters (zero-width spaces, bidi marks, BOMs, lone surrogates), runs of spaces collapsed, lines trimmed, and
/// no double brackets: <c>[[...]]</c> is reserved for the phoneme markup the pronunciation dictionary inserts.
/// </summary>
public static partial class TextNormalizer
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\[{2,}|\]{2,}")]
    private static partial System.Text.RegularExpressions.Regex DoubleBrackets();

    public static string Normalize(string input, out int invisibleRemoved)
    {
        var builder = new StringBuilder(input.Length);
        invisibleRemoved = 0;
        bool pendingSpace = false;
        string source = WithoutLoneSurrogates(input, ref invisibleRemoved);
        if (!source.IsNormalized(NormalizationForm.FormC))
        {
            source = source.Normalize(NormalizationForm.FormC);
        }
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            if (char.IsHighSurrogate(c))
            {
                FlushSpace(builder, ref pendingSpace);
                builder.Append(c).Append(source[++i]); // pairs are whole here
                continue;
            }
            if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < source.Length && source[i + 1] == '\n')
                {
                    i++;
                }
                pendingSpace = false;
                TrimTrailingSpace(builder);
                if (builder.Length > 0 && builder[^1] != '\n')
                {
                    builder.Append('\n');
                }
                continue;
            }
            if (c == '\t' || char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0 && builder[^1] != '\n';
                continue;
            }
            UnicodeCategory category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned)
            {
                invisibleRemoved++;
                continue;
            }
            FlushSpace(builder, ref pendingSpace);
            builder.Append(c);
        }
        TrimTrailingSpace(builder);
        while (builder.Length > 0 && builder[^1] == '\n')
        {
            builder.Length--;
        }
        return DoubleBrackets().Replace(builder.ToString(), m => m.Value[..1]);
    }

    private static void FlushSpace(StringBuilder builder, ref bool pendingSpace)
    {
        if (pendingSpace)
        {
            builder.Append(' ');
            pendingSpace = false;
        }
    }

    private static void TrimTrailingSpace(StringBuilder builder)
    {
        while (builder.Length > 0 && builder[^1] == ' ')
        {
            builder.Length--;
        }
    }

    /// <summary>Drops unpaired surrogates, which no engine can read and <c>string.Normalize</c> rejects.</summary>
    private static string WithoutLoneSurrogates(string text, ref int removed)
    {
        StringBuilder? cleaned = null;
        for (int i = 0; i < text.Length; i++)
        {
            bool paired = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired)
            {
                cleaned?.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                cleaned ??= new StringBuilder(text, 0, i, text.Length);
                removed++;
            }
            else
            {
                cleaned?.Append(text[i]);
            }
        }
        return cleaned?.ToString() ?? text;
    }
}
