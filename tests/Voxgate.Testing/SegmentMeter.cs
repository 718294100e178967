using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Voxgate.Tests.Support;

/// <summary>
/// Counts the segments a test server has synthesised, from its own meter (<c>voxgate.speech.segments</c>, scoped to
/// that host): a test reads it when the first audio arrives to prove streaming started before synthesis ended.
/// </summary>
public sealed class SegmentMeter : IDisposable
{
    private readonly MeterListener _listener;
    private long _segments;

    public SegmentMeter(IServiceProvider services)
    {
        IMeterFactory meters = services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "voxgate.speech.segments")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _segments, value));
        _listener.Start();
    }

    public long Segments => Interlocked.Read(ref _segments);

    public void Dispose() => _listener.Dispose();
}
