using System.Diagnostics.Metrics;

namespace Voxgate.Speech.Synthesis;

/// <summary>Counters of the meter <c>Voxgate.Speech</c> (exported by whatever metrics pipeline the host sets up).</summary>
public sealed class SpeechMetrics : IDisposable
{
    public const string MeterName = "Voxgate.Speech";

    private readonly Meter _meter;
    private readonly Counter<long> _segments;
    private readonly Counter<long> _characters;
    private readonly Counter<double> _audioSeconds;

    public SpeechMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _segments = _meter.CreateCounter<long>("voxgate.speech.segments", description: "Text segments synthesised");
        _characters = _meter.CreateCounter<long>("voxgate.speech.characters", description: "Billable characters of completed syntheses");
        _audioSeconds = _meter.CreateCounter<double>("voxgate.speech.audio", unit: "s", description: "Seconds of audio produced");
    }

    public void SegmentSynthesized(string engine) => _segments.Add(1, new KeyValuePair<string, object?>("engine", engine));

    public void SynthesisCompleted(string engine, int characters, TimeSpan audio)
    {
        var tag = new KeyValuePair<string, object?>("engine", engine);
        _characters.Add(characters, tag);
        _audioSeconds.Add(audio.TotalSeconds, tag);
    }

    public void Dispose() => _meter.Dispose();
}
