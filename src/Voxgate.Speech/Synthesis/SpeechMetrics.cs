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

    /// <summary>
    /// Reports each installed model's state (loaded, verifying, broken, failed) as a gauge of 1 per model and state,
    /// read from <paramref name="models"/> at each scrape; the server calls it once, where the models are known.
    /// </summary>
    public void ObserveModels(Func<IEnumerable<(string Model, string State)>> models) =>
        _meter.CreateObservableGauge("voxgate.model.state", () => models().Select(m =>
            new Measurement<int>(1, new KeyValuePair<string, object?>("model", m.Model), new KeyValuePair<string, object?>("state", m.State))),
            description: "Installed models by state: 1 for the state each model is in");

    public void Dispose() => _meter.Dispose();
}
