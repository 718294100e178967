using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Speech;

public static class SpeechServiceCollectionExtensions
{
    /// <summary>Registers the speech pipeline (catalog, engines, neural models, text preparation, audio chain, encoders) as singletons.</summary>
    public static IServiceCollection AddVoxgateSpeech(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.Section));
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection(CatalogOptions.Section));
        services.AddOptions<AudioOptions>().Bind(configuration.GetSection(AudioOptions.Section));
        services.AddOptions<EncoderOptions>().Bind(configuration.GetSection(EncoderOptions.Section));
        services.AddOptions<TextOptions>().Bind(configuration.GetSection(TextOptions.Section));
        services.AddOptions<UpstreamOptions>().Bind(configuration.GetSection(UpstreamOptions.Section));
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.Section));
        services.AddOptions<StreamingOptions>().Bind(configuration.GetSection(StreamingOptions.Section));

        services.AddMetrics();
        services.AddSingleton<ISpeechEngineProvider, FliteEngineProvider>();
        services.AddSingleton<ISpeechEngineProvider, EspeakEngineProvider>();
        services.AddSingleton<SpeechEngineRegistry>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<TextPreparer>();
        services.AddSingleton<AudioEncoderFactory>();
        services.AddSingleton<SpeechMetrics>();
        services.AddSingleton<SpeechPlanner>();
        services.AddSingleton<ClausePauses>();
        services.AddSingleton<SpeechPipeline>();
        services.AddHttpClient(UpstreamSpeechClient.HttpClientName);
        services.AddSingleton<UpstreamSpeechClient>();
        // Upstream provider kinds by name, as engines are: a new kind of server is one more strategy here.
        services.AddSingleton<IUpstreamSpeechProvider, OpenAiSpeechProvider>();
        services.AddSingleton<IUpstreamSpeechProvider, MiniMaxSpeechProvider>();
        services.AddSingleton<UpstreamProviders>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RouteHealth>();
        // Neural models: the host registers the IModelVerifier (a child process) that SherpaModels needs.
        services.AddSingleton<ModelStore>();
        services.AddHttpClient(ModelInstaller.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ModelInstaller>();
        services.AddSingleton<SherpaModels>();
        return services;
    }
}
