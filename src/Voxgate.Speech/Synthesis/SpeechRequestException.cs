namespace Voxgate.Speech.Synthesis;

/// <summary>What is wrong with a request, independent of how a surface reports it.</summary>
public enum SpeechErrorKind
{
    /// <summary>A required field is absent or empty.</summary>
    MissingParameter,

    /// <summary>A field has the wrong type or a value outside what it accepts.</summary>
    InvalidParameter,

    /// <summary>The text is longer than the surface allows.</summary>
    InputTooLong,

    /// <summary>The model is not in the catalog.</summary>
    ModelNotFound,

    /// <summary>The voice is neither a local voice id nor a configured alias.</summary>
    VoiceNotFound,

    /// <summary>The audio would be larger than the answer asked for can carry (a JSON answer holds it all at once).</summary>
    OutputTooLarge,
}

/// <summary>A request that cannot be served as asked; each surface turns it into its own error format.</summary>
public sealed class SpeechRequestException(SpeechErrorKind kind, string? parameter, string message) : Exception(message)
{
    public SpeechErrorKind Kind { get; } = kind;

    /// <summary>The request field at fault, in the surface's own naming where the adapter knows it.</summary>
    public string? Parameter { get; } = parameter;
}
