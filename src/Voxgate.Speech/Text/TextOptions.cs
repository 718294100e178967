using Voxgate.Speech.Settings;

namespace Voxgate.Speech.Text;

/// <summary>Text preparation settings (configuration section <c>Voxgate:Text</c>).</summary>
public sealed class TextOptions
{
    public const string Section = "Voxgate:Text";

    /// <summary>
    /// Longest piece of text sent to an engine in one call. Longer sentences are cut at a clause boundary, else at
    /// a space: short pieces keep the first audio early and bound each engine call's latency.
    /// </summary>
    [Positive]
    public int MaxSegmentCharacters { get; set; } = 300;

    /// <summary>
    /// How English normalisation reads a slashed numeric date that could be either (03/05/2024): month first (US, the
    /// default: March fifth) or day first (the third of May). A date only one order allows (25/12/2024) is read so.
    /// </summary>
    public Normalization.NumericDateOrder EnglishDateOrder { get; set; } = Normalization.NumericDateOrder.MonthDayYear;

    /// <summary>
    /// Whether the OpenAI surface writes numbers, dates, money, units and abbreviations out in words (in Chinese for
    /// Chinese text) for local engines when a request does not say (its <c>text_normalization</c> extension field).
    /// On by default: on the public corpus it takes both embedded engines' readings from 18-28% phoneme error to the
    /// careful reading (docs/benchmarks.md, "Default reading"). MiniMax's surfaces keep MiniMax's default, off.
    /// </summary>
    public bool OpenAiNormalization { get; set; } = true;
}
