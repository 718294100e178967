namespace Voxgate.Speech.Encoders;

/// <summary>What an encoder produces.</summary>
/// <param name="Bitrate">Bits per second for the lossy formats; 0 means the format's configured default.</param>
public sealed record EncoderSettings(AudioFormat Format, int SampleRate, int Channels, int Bitrate = 0);
