using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Voxgate.Tests.Support;

/// <summary>
/// Records every measurement of one <see cref="Meter"/> instance, by instrument and labels. In-process servers share
/// a process and so their meters' names: an OpenTelemetry scrape of one of them can show another's series, and a
/// meter disposed by another host ends the stream the two share. Listening to the instance a server owns counts
/// that server's measurements and nothing else.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentQueue<(string Instrument, Dictionary<string, object?> Labels, double Value)> _measurements = new();

    public MeterRecorder(Meter meter)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == meter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The sum of the values recorded on <paramref name="instrument"/> with all of <paramref name="labels"/>.</summary>
    public double Sum(string instrument, params (string Name, string Value)[] labels) =>
        Matching(instrument, labels).Sum(m => m.Value);

    /// <summary>How many measurements <paramref name="instrument"/> took with all of <paramref name="labels"/> (a histogram's count).</summary>
    public int Count(string instrument, params (string Name, string Value)[] labels) => Matching(instrument, labels).Count();

    public void Dispose() => _listener.Dispose();

    private IEnumerable<(string Instrument, Dictionary<string, object?> Labels, double Value)> Matching(string instrument, (string Name, string Value)[] labels) =>
        _measurements.Where(m => m.Instrument == instrument
            && labels.All(l => m.Labels.TryGetValue(l.Name, out object? value) && Equals(value?.ToString(), l.Value)));

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var labels = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            labels[tag.Key] = tag.Value;
        }
        _measurements.Enqueue((instrument.Name, labels, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
