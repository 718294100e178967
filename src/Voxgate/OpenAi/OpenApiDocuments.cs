using System.ComponentModel;

namespace Voxgate.OpenAi;

/// <summary>The request body of <c>POST /v1/audio/speech</c>, as documented in /openapi.json (parsing is in <see cref="OpenAiSpeechRequest"/>).</summary>
public sealed record SpeechRequestDocument(
    [property: Description("Catalog model id or alias, e.g. tts-1, tts-1-hd, minimax/minimax-speech-02-hd.")] string Model,
    [property: Description("Text to speak; at most 4096 characters (Unicode code points).")] string Input,
    [property: Description("An OpenAI voice name (alloy, ash, ...), a local voice id (flite:slt), or {\"id\": ...}.")] string Voice,
    [property: Description("mp3 (default), opus, aac, flac, wav or pcm (raw 16-bit little-endian).")] string? ResponseFormat = null,
    [property: Description("Alias of response_format.")] string? Format = null,
    [property: Description("0.25 to 4.0; 1.0 is normal.")] double? Speed = null,
    [property: Description("Accepted; local engines ignore it (see docs/api.md).")] string? Instructions = null,
    [property: Description("audio (default): the audio bytes, streamed; sse: speech.audio.delta events.")] string? StreamFormat = null,
    [property: Description("Voxgate extension: output rate in Hz (8000-48000); default 24000.")] int? SampleRate = null,
    [property: Description("Voxgate extension: 1 (default) or 2.")] int? Channels = null,
    [property: Description("Voxgate extension: linear gain, greater than 0 and at most 10; default 1.")] double? Volume = null,
    [property: Description("Voxgate extension: bits per second for mp3, opus and aac.")] int? Bitrate = null);

/// <summary>OpenAI's error envelope.</summary>
public sealed record OpenAiErrorDocument(OpenAiErrorDetail Error);

public sealed record OpenAiErrorDetail(string Message, string Type, string? Param, string? Code);
