namespace Voxgate.Gateway.Voices;

public enum VoiceErrorKind
{
    /// <summary>A parameter is missing or out of range.</summary>
    Invalid,

    /// <summary>The account has, or had, a voice with this id (MiniMax 2039).</summary>
    Duplicate,

    /// <summary>A recording is too short or too long for its purpose (MiniMax 2037; a prompt, 2048).</summary>
    Duration,

    /// <summary>A prompt recording is too long (MiniMax 2048).</summary>
    PromptTooLong,

    /// <summary>No cloning model is installed (MiniMax 2038).</summary>
    CloningUnavailable,

    /// <summary>The account has as many custom voices as it may.</summary>
    LimitReached,

    /// <summary>No such voice (or consent) for this account, whoever else may have one.</summary>
    NotFound,
}

/// <summary>A voice operation refused; each surface reports it in its own format.</summary>
public sealed class VoiceException(VoiceErrorKind kind, string parameter, string message) : Exception(message)
{
    public VoiceErrorKind Kind { get; } = kind;

    public string Parameter { get; } = parameter;
}
