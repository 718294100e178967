namespace Voxgate.Speech.Synthesis;

/// <summary>An engine or encoder failed while synthesising: a server fault, never the caller's.</summary>
public sealed class SpeechSynthesisException(string message, Exception? inner = null) : Exception(message, inner);
