namespace Voxgate.Speech.Engines;

/// <summary>Creates an engine at start-up; a provider whose native library is missing fails alone.</summary>
public interface ISpeechEngineProvider
{
    string Name { get; }

    ISpeechEngine Create();
}
