namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Where a caller finds what an error message points to (the models there are, the voices, how to clone one), in the
/// words of the surface that serves the caller. Speech and the gateway know no HTTP route: the server registers the
/// routes it maps (<c>VoxgateServer</c>); elsewhere (the CLI) the messages simply say less.
/// </summary>
public sealed record SurfaceHints
{
    /// <summary>No surface: messages carry no pointer.</summary>
    public static SurfaceHints None { get; } = new();

    /// <summary>Lists the models, e.g. <c>GET /v1/models</c>.</summary>
    public string? ModelList { get; init; }

    /// <summary>Lists the voices and their languages, e.g. <c>GET /v1/voices</c>.</summary>
    public string? VoiceList { get; init; }

    /// <summary>Makes a cloned voice from a recording, e.g. <c>POST /v1/voice_clone</c>.</summary>
    public string? VoiceCloning { get; init; }

    /// <summary>Lists the caller's own voices.</summary>
    public string? CustomVoiceList { get; init; }

    /// <summary>" {hint} {what}" as the end of a message, or nothing when the surface gave no hint.</summary>
    public static string Sentence(string? hint, string what) => hint is null ? "" : $" {hint} {what}";
}
