using System.Diagnostics.Metrics;
using Voxgate.Gateway.Saturation;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Metrics;

/// <summary>
/// The meter <c>Voxgate.Gateway</c>: what the gateway measures of each request (<see cref="SpeechMeasurement"/>), its
/// refusals, and its engines' saturation. The engines' own counts (segments, characters, seconds of audio) are the
/// meter <c>Voxgate.Speech</c>'s (<see cref="SpeechMetrics"/>). Every label has a bounded set of values: catalog models,
/// engines and providers the server has, statuses and refusal kinds; never an account, a key or a request.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Voxgate.Gateway";

    /// <summary>Seconds to the first audio byte, or in all: from a few milliseconds (a cached short answer) to minutes (a long text read slowly).</summary>
    private static readonly double[] s_secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>Engine time over audio time: below 1 is faster than real time.</summary>
    private static readonly double[] s_realTimeFactorBuckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 4];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _firstByte;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _realTimeFactor;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _upstreamErrors;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _saturated;

    public GatewayMetrics(IMeterFactory meterFactory, EngineAdmission admission)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("voxgate.speech.requests", description: "Speech requests admitted, by how they ended");
        _firstByte = Seconds("voxgate.speech.time_to_first_byte", "From admission to the first audio byte sent to the client");
        _duration = Seconds("voxgate.speech.duration", "From admission to the end of the request");
        _realTimeFactor = _meter.CreateHistogram<double>("voxgate.engine.real_time_factor", description: "Engine time over the audio it produced, per request",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_realTimeFactorBuckets });
        _upstreamDuration = Seconds("voxgate.upstream.duration", "A provider's time on a request: from its turn to the end of its audio");
        _upstreamErrors = _meter.CreateCounter<long>("voxgate.upstream.errors", description: "Requests routed to a provider that failed");
        _fallbacks = _meter.CreateCounter<long>("voxgate.upstream.fallbacks", description: "Requests that fell through from a route that failed before any audio to the next");
        _refusals = _meter.CreateCounter<long>("voxgate.refusals", description: "Requests refused before synthesis, by kind (a usage status)");
        _saturated = _meter.CreateCounter<long>("voxgate.engine.saturated", description: "New requests refused with 503 because the engine's queue was full");
        // The engines' turns, read from memory at each scrape (this node's: saturation is a node's own).
        _meter.CreateObservableGauge("voxgate.engine.slots.in_use", () => Loads(admission, l => l.Active), description: "Engine turns held: segments being computed");
        _meter.CreateObservableGauge("voxgate.engine.slots.limit", () => Loads(admission, l => l.Limit), description: "Engine turns available at once");
        _meter.CreateObservableGauge("voxgate.engine.queue.depth", () => Queues(admission), description: "Requests waiting for an engine turn: new ones, and ones under way");
    }

    /// <summary>The meter, for the observable instruments other parts of the server add to it.</summary>
    public Meter Meter => _meter;

    /// <summary>Records a request's measurement (the one the usage row gets).</summary>
    public void Measured(SpeechMeasurement measured)
    {
        var model = new KeyValuePair<string, object?>("model", measured.Model);
        var engine = new KeyValuePair<string, object?>("engine", measured.Engine);
        _requests.Add(1, model, engine, new KeyValuePair<string, object?>("status", measured.Status));
        _duration.Record(measured.Total.TotalSeconds, model, engine);
        if (measured.FirstByte is { } firstByte)
        {
            _firstByte.Record(firstByte.TotalSeconds, model, engine);
        }
        switch (measured.Route)
        {
            case LocalSynthesis when measured.Audio is { TotalSeconds: > 0 } audio && measured.EngineTime > TimeSpan.Zero:
                _realTimeFactor.Record(measured.EngineTime / audio, engine);
                break;
            case UpstreamSynthesis upstream:
                var provider = new KeyValuePair<string, object?>("provider", upstream.Upstream.Provider);
                if (measured.EngineTime > TimeSpan.Zero)
                {
                    // The provider's turn, held while it answers (a WebSocket task's provider connection is not timed).
                    _upstreamDuration.Record(measured.EngineTime.TotalSeconds, provider);
                }
                if (measured.Status == Usage.UsageStatus.Failed)
                {
                    _upstreamErrors.Add(1, provider);
                }
                break;
        }
    }

    /// <summary>
    /// A request fell through from <paramref name="failed"/> to <paramref name="next"/> (labels <c>from</c> and
    /// <c>to</c>: configured provider names, or <c>local</c>); the failed provider's error is counted as one.
    /// </summary>
    public void FellThrough(SynthesisRoute failed, SynthesisRoute next)
    {
        if (failed is UpstreamSynthesis upstream)
        {
            _upstreamErrors.Add(1, new KeyValuePair<string, object?>("provider", upstream.Upstream.Provider));
        }
        _fallbacks.Add(1, new KeyValuePair<string, object?>("from", SpeechGateway.RouteName(failed)), new KeyValuePair<string, object?>("to", SpeechGateway.RouteName(next)));
    }

    /// <summary>A refusal of one kind (a <see cref="Usage.UsageStatus"/> that is not an admitted one).</summary>
    public void Refused(string kind) => _refusals.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A new request refused because its engine's queue was full.</summary>
    public void Saturated(string engine) => _saturated.Add(1, new KeyValuePair<string, object?>("engine", engine));

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> Loads(EngineAdmission admission, Func<EngineLoad, int> value) =>
        admission.Load.Select(l => new Measurement<int>(value(l.Value), new KeyValuePair<string, object?>("engine", l.Key)));

    private static IEnumerable<Measurement<int>> Queues(EngineAdmission admission) => admission.Load.SelectMany(l => new[]
    {
        new Measurement<int>(l.Value.New, new("engine", l.Key), new("queue", "new")),
        new Measurement<int>(l.Value.Continuing, new("engine", l.Key), new("queue", "continuing")),
    });

    private Histogram<double> Seconds(string name, string description) => _meter.CreateHistogram<double>(name, "s", description,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_secondsBuckets });
}
