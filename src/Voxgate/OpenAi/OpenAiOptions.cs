using Voxgate.Speech.Settings;

namespace Voxgate.OpenAi;

/// <summary>Limits of the OpenAI-compatible surface (configuration section <c>Voxgate:OpenAi</c>).</summary>
public sealed class OpenAiOptions
{
    public const string Section = "Voxgate:OpenAi";

    /// <summary>OpenAI's own limit for <c>input</c>, counted in Unicode code points.</summary>
    [Positive]
    public int MaxInputCharacters { get; set; } = 4096;

    [Positive]
    public int MaxInstructionsCharacters { get; set; } = 4096;

    [Positive]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
