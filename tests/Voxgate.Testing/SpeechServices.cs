using Microsoft.Extensions.DependencyInjection;
using Voxgate.Cli;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Tests.Support;

/// <summary>The speech services as the CLI builds them (shipped appsettings.json and catalog.json), shared per test run.</summary>
public static class SpeechServices
{
    private static readonly Lazy<ServiceProvider> s_services = new(() => CliServices.Create(Path.GetTempPath()));

    public static IServiceProvider Shared => s_services.Value;

    public static T Get<T>() where T : notnull => Shared.GetRequiredService<T>();

    /// <summary>Plans and runs a request, returning the whole encoded output and its summary.</summary>
    public static async Task<(byte[] Audio, SpeechSummary Summary, List<SegmentTiming> Segments)> SynthesizeAsync(SpeechRequest request)
    {
        SpeechPlan plan = Get<SpeechPlanner>().Plan(request);
        using var audio = new MemoryStream();
        var segments = new List<SegmentTiming>();
        SpeechSummary summary = await SpeechStreamWriter.WriteAsync(Get<SpeechPipeline>().RunAsync(plan, CancellationToken.None),
            audio, new SynchronousProgress<SegmentTiming>(segments.Add), CancellationToken.None);
        return (audio.ToArray(), summary, segments);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
