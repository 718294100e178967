using System.Text;

namespace Voxgate.Tests.Support;

/// <summary>Long, varied English prose made from a seed: sentences of different lengths, questions, numbers, paragraphs.</summary>
public static class LongText
{
    private static readonly string[] Words =
    [
        "the", "river", "morning", "quietly", "station", "engineer", "carried", "bright", "letters", "across", "valley",
        "under", "ancient", "bridge", "market", "opened", "window", "slowly", "garden", "teacher", "wrote", "story",
        "about", "winter", "harbour", "ships", "returned", "before", "evening", "lights", "village", "children",
        "laughed", "while", "music", "played", "somewhere", "distant", "mountain", "road", "travellers", "rested",
    ];

    /// <summary>An 800-character text of short sentences, for the in-process streaming tests: a dozen segments, each quick to speak.</summary>
    public static readonly string StreamingSentences = ShortSentences(800);

    /// <summary>Numbered sentences of one length cut to <paramref name="characters"/>: as many segments as text allows.</summary>
    public static string ShortSentences(int characters) =>
        string.Concat(Enumerable.Range(0, characters / 64 + 1).Select(i => $"Sentence {i,2} of the long streaming text goes on for a little while here. "))[..characters];

    /// <summary>Exactly <paramref name="characters"/> characters (ASCII, so characters are code points), ending a sentence.</summary>
    public static string Make(int characters, int seed = 7)
    {
        var random = new Random(seed);
        var text = new StringBuilder(characters + 200);
        int sentence = 0;
        while (text.Length < characters)
        {
            int words = random.Next(4, 22);
            var line = new StringBuilder();
            for (int w = 0; w < words; w++)
            {
                string word = Words[random.Next(Words.Length)];
                line.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                if (w == words / 2 && random.Next(4) == 0)
                {
                    line.Append(' ').Append(random.Next(2, 999));
                }
                line.Append(w == words - 1 ? "" : " ");
            }
            line.Append(random.Next(8) == 0 ? '?' : '.');
            text.Append(line).Append(++sentence % 9 == 0 ? "\n\n" : " ");
        }
        text.Length = characters - 1;
        return text.ToString().TrimEnd().PadRight(characters - 1, 'a') + ".";
    }
}
